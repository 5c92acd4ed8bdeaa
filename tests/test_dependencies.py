"""Dependencies point one way: zoo and datasets know nothing of each other or of train and
evaluate; train knows nothing of evaluate; benchmarks measure the zoo alone; every command
line shares cli_support, which knows nothing of the project and loads nothing but the
standard library when imported; zoo imports only keras, numpy and the standard library
(TensorFlow or JAX only inside a function that runs on that backend, for its autodiff), so
it runs on TensorFlow and JAX. The NumPy reference in zoo stays an independent oracle."""

import ast
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("zoo", "datasets", "train", "evaluate", "benchmarks", "cli_support")
MAY_IMPORT = {
    "zoo": set(),
    "datasets": {"cli_support"},  # for its command lines and its vocabulary's atomic save
    "train": {"zoo", "datasets", "cli_support"},
    "evaluate": {"zoo", "datasets", "train", "cli_support"},
    "benchmarks": {"zoo", "cli_support"},
    "cli_support": set(),  # the command lines' shared layer, below all of them
}

# Imported by zoo only inside functions that run on that backend (its autodiff, its loops).
BACKEND_PACKAGES = {"tensorflow", "jax"}


def imports(tree: ast.AST) -> list[tuple[str, ast.AST]]:
    """(top-level module name, node) for every import in a parsed file, at any depth."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name.split(".")[0], node) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            found.append((node.module.split(".")[0], node))
    return found


def modules_of(package: str) -> list[Path]:
    return sorted((REPO_ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", PACKAGES)
def test_a_package_imports_only_the_packages_below_it(package):
    forbidden = set(PACKAGES) - MAY_IMPORT[package] - {package}
    wrong = [
        f"{path.relative_to(REPO_ROOT)}:{node.lineno} imports {name}"
        for path in modules_of(package)
        for name, node in imports(ast.parse(path.read_text()))
        if name in forbidden
    ]
    assert wrong == []


def imports_zoo_may_not_have(source: str) -> list[tuple[str, int]]:
    """(module, line) of each import in a zoo module's source that zoo may not have: any
    but keras, numpy and the standard library, except a backend's own package inside a
    function (never imported when zoo is)."""
    allowed = {"keras", "numpy", "zoo", "__future__", *sys.stdlib_module_names}
    tree = ast.parse(source)
    in_functions = nodes_inside_functions(tree)
    return [
        (name, node.lineno)
        for name, node in imports(tree)
        if name not in allowed and not (name in BACKEND_PACKAGES and id(node) in in_functions)
    ]


def nodes_inside_functions(tree: ast.AST) -> set[int]:
    """The ids of the nodes inside a function: run when it is called, not on import."""
    functions = [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)]
    return {id(inner) for function in functions for inner in ast.walk(function)}


def test_zoo_imports_only_keras_numpy_and_the_standard_library():
    wrong = [
        f"{path.relative_to(REPO_ROOT)}:{line} imports {name}"
        for path in modules_of("zoo")
        for name, line in imports_zoo_may_not_have(path.read_text())
    ]
    assert wrong == []


def test_a_backend_package_is_allowed_inside_a_function_only():
    inside = "def gradient():\n    import jax\n    import tensorflow as tf\n"
    assert imports_zoo_may_not_have(inside) == []
    at_import = "import jax\nfrom tensorflow import GradientTape\n"
    assert imports_zoo_may_not_have(at_import) == [("jax", 1), ("tensorflow", 2)]
    assert imports_zoo_may_not_have("def f():\n    import torch\n") == [("torch", 2)]


def imported_names(tree: ast.AST) -> set[str]:
    """Every dotted name an import in a parsed file brings in (``zoo.numpy_reference``)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            names |= {module} | {f"{module}.{alias.name}" for alias in node.names}
    return names


def test_the_numpy_reference_imports_only_numpy_and_no_layer_imports_it():
    reference = REPO_ROOT / "zoo" / "numpy_reference.py"
    assert imported_names(ast.parse(reference.read_text())) == {"numpy"}
    importers = [
        str(path.relative_to(REPO_ROOT))
        for path in modules_of("zoo")
        if any(
            name.endswith("numpy_reference") for name in imported_names(ast.parse(path.read_text()))
        )
    ]
    assert importers == []


def top_level_imports(tree: ast.AST) -> list[tuple[str, int]]:
    """(top-level module name, line) of every import run when the module is imported: not
    those inside a function."""
    in_functions = nodes_inside_functions(tree)
    return [(name, node.lineno) for name, node in imports(tree) if id(node) not in in_functions]


def test_cli_support_loads_only_the_standard_library_when_imported():
    """So that --help and a bad flag answer before TensorFlow is loaded."""
    allowed = {"cli_support", "__future__", *sys.stdlib_module_names}
    wrong = [
        f"{path.relative_to(REPO_ROOT)}:{line} imports {name}"
        for path in modules_of("cli_support")
        for name, line in top_level_imports(ast.parse(path.read_text()))
        if name not in allowed
    ]
    assert wrong == []


def test_an_import_inside_a_function_is_not_one_at_import_time():
    source = "import os\ndef later():\n    import tensorflow\nimport keras\n"
    assert top_level_imports(ast.parse(source)) == [("os", 1), ("keras", 4)]
