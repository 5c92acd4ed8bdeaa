"""The tutorials run end to end, their committed .ipynb match their sources, and they use
only the packages' public APIs."""

import ast
import importlib
import importlib.util
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


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: path.stem)
def test_the_notebook_runs_end_to_end_with_small_settings(source):
    notebook = executor.execute(source, quick=True)
    assert all(cell.execution_count for cell in notebook.cells if cell.cell_type == "code")
