"""Every zoo module says what it holds and why, and its docstring examples run and print
what they claim (comments and docstrings give reasons, not figures: tests/test_prose.py)."""

import doctest
import importlib
import pkgutil

import keras
import numpy as np
import pytest

import zoo

MODULES = ["zoo", *sorted(f"zoo.{module.name}" for module in pkgutil.iter_modules(zoo.__path__))]
# The modules that define the public API (`zoo.__all__`) show it at work.
WITH_EXAMPLES = sorted({getattr(zoo, name).__module__ for name in zoo.__all__})


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
