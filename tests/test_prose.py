"""Comments and docstrings give reasons: no measured figures and no commit hashes in the
code of any package. Figures belong in docs/results/, beside the command that made them and
the machine it ran on; history belongs in commit messages."""

import ast
import io
import re
import tokenize
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("zoo", "datasets", "train", "evaluate", "benchmarks", "notebooks")

# "1.8× faster", "2x slower", "7403 sequences/s", "30% faster", "12 ms", "took 5 min on".
MEASURED_FIGURE = re.compile(
    r"\d\s*(×|x\s+(faster|slower)|times\s+(faster|slower)|%\s*(faster|slower)"
    r"|(sequences|steps|samples|examples)/s\b|\s+ms\b|\s*(min|minutes|s|seconds)\s+on\b)",
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


def python_files():
    return sorted(path for package in PACKAGES for path in (REPO_ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("path", python_files(), ids=lambda path: str(path.relative_to(REPO_ROOT)))
def test_comments_and_docstrings_give_no_measured_figures_or_commits(path):
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
    assert MEASURED_FIGURE.search("the quick grid (< 2 min on 2 CPU cores)")
    assert not MEASURED_FIGURE.search("(batch, 3·units), exp(−1e4) is 0 in float16")
    assert not COMMIT_HASH.search("a (batch, features) tensor, deadbeef, 1234567")


def test_prose_reads_comments_and_docstrings_only():
    path = REPO_ROOT / "tests" / "test_prose.py"
    texts = [text for _, text in prose(path)]
    assert any(text.startswith("Comments and docstrings give reasons") for text in texts)
    assert any(text.startswith("# An abbreviated or full commit hash") for text in texts)
    assert not any("trains 1.84× faster" in text for text in texts)  # a string, not prose
