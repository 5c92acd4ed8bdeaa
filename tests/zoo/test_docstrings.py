"""Every zoo module says what it holds and why, its docstring examples run and print what
they claim, and its comments and docstrings give reasons: no measured figures, no commits."""

import ast
import doctest
import importlib
import io
import pkgutil
import re
import tokenize
from pathlib import Path

import keras
import numpy as np
import pytest

import zoo

MODULES = ["zoo", *sorted(f"zoo.{module.name}" for module in pkgutil.iter_modules(zoo.__path__))]
# The modules that define the public API (`zoo.__all__`) show it at work.
WITH_EXAMPLES = sorted({getattr(zoo, name).__module__ for name in zoo.__all__})

# "1.8× faster", "2x slower", "7403 sequences/s", "30% faster", "12 ms": figures belong in
# the README's measurements, which say when and where they were taken.
MEASURED_FIGURE = re.compile(
    r"\d\s*(×|x\s+(faster|slower)|times\s+(faster|slower)|%\s*(faster|slower)"
    r"|(sequences|steps|samples|examples)/s\b|\s+ms\b)",
    re.IGNORECASE,
)
# An abbreviated or full commit hash: 7 to 40 hex digits, with digits and letters both.
COMMIT_HASH = re.compile(r"\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,40}\b")


def prose(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every comment and docstring in a Python file."""
    source = path.read_text()
    found = [
        (token.start[0], token.string)
        for token in tokenize.generate_tokens(io.StringIO(source).readline)
        if token.type == tokenize.COMMENT
    ]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            docstring = ast.get_docstring(node, clean=False)
            if docstring is not None:
                found.append((node.body[0].lineno, docstring))
    return found


def source_file(module_name: str) -> Path:
    return Path(importlib.import_module(module_name).__file__)


@pytest.mark.parametrize("module_name", MODULES)
def test_every_module_has_a_docstring_saying_what_it_holds(module_name):
    docstring = importlib.import_module(module_name).__doc__
    assert docstring is not None and len(docstring.strip().splitlines()) > 1


@pytest.mark.parametrize("module_name", MODULES)
def test_docstring_examples_run(module_name):
    module = importlib.import_module(module_name)
    globs = {**vars(module), "keras": keras, "np": np, "zoo": zoo}
    failed, attempted = doctest.testmod(module, extraglobs=globs, verbose=False)
    assert failed == 0
    assert attempted > 0 or module_name not in WITH_EXAMPLES


@pytest.mark.parametrize("module_name", MODULES)
def test_comments_and_docstrings_give_no_measured_figures_or_commits(module_name):
    path = source_file(module_name)
    wrong = [
        f"{path.name}:{line}: {match.group(0)!r}"
        for line, text in prose(path)
        for pattern in (MEASURED_FIGURE, COMMIT_HASH)
        for match in pattern.finditer(text)
    ]
    assert wrong == []


def test_the_figure_and_commit_patterns_catch_what_they_are_for():
    assert MEASURED_FIGURE.search("trains 1.84× faster") and MEASURED_FIGURE.search("2x slower")
    assert MEASURED_FIGURE.search("7403 sequences/s") and COMMIT_HASH.search("at 69c2f7b")
    assert not MEASURED_FIGURE.search("(batch, 3·units), exp(−1e4) is 0 in float16")
    assert not COMMIT_HASH.search("a (batch, features) tensor, deadbeef, 1234567")
