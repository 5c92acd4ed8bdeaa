"""The agreement package's modules import one another without a cycle, and a grammar's
module knows no other grammar: sampling.py alone imports them all, to find a config's
generator."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "datasets" / "agreement"
PREFIX = "datasets.agreement."
GRAMMAR_MODULES = {"grammar", "nested", "english"}


def agreement_imports(source: str) -> set[str]:
    """The datasets.agreement modules a source file imports, at any depth (a function's
    own imports count: they close a cycle as surely as the module's)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found |= {name[len(PREFIX) :].split(".")[0] for name in names if name.startswith(PREFIX)}
    return found


def import_graph() -> dict[str, set[str]]:
    """Module → the package's modules it imports; the package's __init__, which imports
    its modules to export their names, is not one of them."""
    return {
        path.stem: agreement_imports(path.read_text())
        for path in sorted(PACKAGE.glob("*.py"))
        if path.stem != "__init__"
    }


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle as a path that returns to its start, or [] if there is none."""
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> list[str]:
        if module in path:
            return path[path.index(module) :] + [module]
        if module in done:
            return []
        for imported in sorted(graph.get(module, ())):
            cycle = visit(imported, path + [module])
            if cycle:
                return cycle
        done.add(module)
        return []

    for module in sorted(graph):
        cycle = visit(module, [])
        if cycle:
            return cycle
    return []


def test_the_cycle_finder_finds_a_cycle_through_a_function_s_import():
    lazy = "def make():\n    from datasets.agreement.nested import Generator\n"
    graph = {"grammar": agreement_imports(lazy), "nested": {"grammar"}, "config": set()}
    assert find_cycle(graph) == ["grammar", "nested", "grammar"]
    assert find_cycle({"nested": {"config"}, "config": set()}) == []


def test_the_agreement_modules_import_one_another_without_a_cycle():
    graph = import_graph()
    assert {"config", "grammar", "nested", "english", "sampling"} <= set(graph)
    assert find_cycle(graph) == []


def test_a_grammar_s_module_imports_no_other_grammar():
    graph = import_graph()
    assert {module: graph[module] & GRAMMAR_MODULES for module in GRAMMAR_MODULES} == {
        module: set() for module in GRAMMAR_MODULES
    }
    assert graph["sampling"] >= GRAMMAR_MODULES
