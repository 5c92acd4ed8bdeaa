"""The tutorials run end to end, their committed .ipynb match their sources, and they use
only the packages' public APIs."""

import ast
import importlib
import importlib.util
import re
from pathlib import Path

import jupytext
import nbformat
import pytest

NOTEBOOKS_DIR = Path(__file__).resolve().parents[2] / "notebooks"
spec = importlib.util.spec_from_file_location("notebook_executor", NOTEBOOKS_DIR / "execute.py")
executor = importlib.util.module_from_spec(spec)
spec.loader.exec_module(executor)

SOURCES = executor.sources()
OUR_PACKAGES = {"zoo", "datasets", "train", "evaluate"}


def test_there_are_tutorials():
    assert [source.stem[:2] for source in SOURCES][:1] == ["01"]


def cell_sources(notebook):
    return [(cell.cell_type, cell.source.strip()) for cell in notebook.cells]


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: path.stem)
def test_the_committed_notebook_is_its_source_executed(source):
    committed = nbformat.read(source.with_suffix(".ipynb"), as_version=4)
    assert cell_sources(committed) == cell_sources(jupytext.read(source))
    code_cells = [cell for cell in committed.cells if cell.cell_type == "code"]
    assert all(cell.execution_count for cell in code_cells), "run notebooks/execute.py"
    assert not any(
        output.get("output_type") == "error" for cell in code_cells for output in cell.outputs
    )


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: path.stem)
def test_the_notebook_imports_only_public_names_of_our_packages(source):
    for node in ast.walk(ast.parse(source.read_text())):
        if (
            isinstance(node, ast.ImportFrom)
            and node.module
            and node.module.split(".")[0] in OUR_PACKAGES
        ):
            assert not any(part.startswith("_") for part in node.module.split("."))
            module = importlib.import_module(node.module)
            public = getattr(module, "__all__", None)
            for alias in node.names:
                assert not alias.name.startswith("_")
                if public is not None:
                    assert alias.name in public, f"{node.module}.{alias.name} is not public"


# What starts a process from a notebook: the modules that do, the calls, and IPython's
# shell escapes (`!cmd`, `%%bash`, `%system`).
PROCESS_MODULES = {"subprocess", "multiprocessing", "pty", "pexpect"}
PROCESS_CALLS = re.compile(r"\b(os\.(system|popen|spawn\w*|exec\w*|fork\w*)|sys\.executable)\b")
SHELL_ESCAPE = re.compile(r"^\s*(!|%+(sh|bash|system|script)\b)", re.MULTILINE)


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: path.stem)
def test_the_notebook_starts_no_process(source):
    """The notebooks call the packages' Python APIs: what they show is what a user's own
    code would get, with no command line in between."""
    imported = {name.split(".")[0] for name, _ in _imports(ast.parse(source.read_text()))}
    assert imported & PROCESS_MODULES == set()
    for cell in jupytext.read(source).cells:
        if cell.cell_type == "code":
            assert not PROCESS_CALLS.search(cell.source), cell.source
            assert not SHELL_ESCAPE.search(cell.source), cell.source


def test_the_process_check_sees_each_way_of_starting_one():
    assert {name for name, _ in _imports(ast.parse("import subprocess as s"))} == {"subprocess"}
    assert {name for name, _ in _imports(ast.parse("from multiprocessing import Pool"))} == {
        "multiprocessing"
    }
    assert PROCESS_CALLS.search("os.system('ls')") and PROCESS_CALLS.search("[sys.executable]")
    assert SHELL_ESCAPE.search("x = 1\n!python -m train") and SHELL_ESCAPE.search("%%bash\nls")
    assert not SHELL_ESCAPE.search("x = 1 != 2") and not PROCESS_CALLS.search("os.path")


def _imports(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((alias.name, node) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module, node


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: path.stem)
def test_the_notebook_runs_end_to_end_with_small_settings(source):
    notebook = executor.execute(source, quick=True)
    assert all(cell.execution_count for cell in notebook.cells if cell.cell_type == "code")
