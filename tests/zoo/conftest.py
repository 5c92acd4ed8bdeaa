"""Shared fixtures: the independent NumPy reference of the course's equations."""

import importlib.util
import pathlib

import pytest


@pytest.fixture(scope="session")
def reference():
    """The module `numpy_reference.py`, next to this file (tests use importlib mode)."""
    path = pathlib.Path(__file__).with_name("numpy_reference.py")
    spec = importlib.util.spec_from_file_location("zoo_numpy_reference", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
