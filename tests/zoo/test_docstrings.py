"""Every docstring example in zoo runs and prints what it claims."""

import doctest
import importlib

import keras
import numpy as np
import pytest

import zoo

MODULES = [
    "zoo.ablations",
    "zoo.gru",
    "zoo.interop",
    "zoo.min_gru",
    "zoo.registry",
    "zoo.simplified_gru",
    "zoo.tracing",
]


@pytest.mark.parametrize("module_name", MODULES)
def test_docstring_examples_run(module_name):
    module = importlib.import_module(module_name)
    globs = {**vars(module), "keras": keras, "np": np, "zoo": zoo}
    failed, attempted = doctest.testmod(module, extraglobs=globs, verbose=False)
    assert attempted > 0 and failed == 0
