"""The run directory is a contract between train (the writer) and evaluate (the reader):
its file and layer names are spelled once, in train.run_contract, and a real run holds
exactly what the contract names."""

import ast
from pathlib import Path

import pytest

from train import run_contract
from train.config import TrainConfig

REPO_ROOT = Path(__file__).resolve().parents[2]
# What a finished run directory holds.
RUN_ENTRIES = {
    run_contract.CONFIG_FILE,
    run_contract.VOCAB_FILE,
    run_contract.MODEL_FILE,
    run_contract.METRICS_FILE,
    run_contract.CHECKPOINTS_DIR,
    run_contract.LOGS_DIR,
}
CONTRACT_NAMES = {
    *RUN_ENTRIES,
    run_contract.EXPERIMENT_FILE,
    run_contract.EMBEDDING_LAYER,
    run_contract.LOGITS_LAYER,
    run_contract.recurrent_layer_name(0),
}
# A Keras archive's own member, not a file of the run directory.
KERAS_ARCHIVE_MEMBER = ("train/checkpoints.py", "config.json")


def string_literals(tree):
    """(line, text) of every string in the code, docstrings left out: a docstring may
    describe the run directory, code must take its names from the contract."""
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def spelled_names(text: str) -> set[str]:
    """The contract's names that ``text`` uses as a name: the whole string, or a part of a
    path or glob ("*/metrics.json", f"{run_dir}/logs"). Prose that mentions a file in a
    help text is not a use."""
    parts = set(text.split("/")) if "/" in text else {text}
    found = {name for name in CONTRACT_NAMES if name in parts}
    if text.startswith("rnn_"):
        found.add("rnn_")
    return found


@pytest.mark.parametrize("package", ["train", "evaluate"])
def test_only_the_contract_spells_a_run_directory_name(package):
    spelled = []
    for path in sorted((REPO_ROOT / package).rglob("*.py")):
        relative = path.relative_to(REPO_ROOT).as_posix()
        if relative == "train/run_contract.py":
            continue
        for line, text in string_literals(ast.parse(path.read_text())):
            for name in spelled_names(text):
                if (relative, name) != KERAS_ARCHIVE_MEMBER:
                    spelled.append(f"{relative}:{line} spells {name!r}")
    assert spelled == []


def test_the_check_finds_a_spelled_name():
    code = 'path = run_dir / "metrics.json"\nlayer = model.get_layer("rnn_0")\nf"{d}/logs"\n'
    found = [spelled_names(text) for _, text in string_literals(ast.parse(code))]
    assert found == [{"metrics.json"}, {"rnn_0", "rnn_"}, {"logs"}]


def test_a_built_model_is_named_as_the_contract_says():
    from train.model import build_model

    config = TrainConfig(model="gru", layers=2, units=4, embed_dim=4, jit=False)
    model = build_model(config, vocab_size=10)
    names = [layer.name for layer in model.layers if layer.name != "tokens"]
    assert names == [
        run_contract.EMBEDDING_LAYER,
        run_contract.recurrent_layer_name(0),
        run_contract.recurrent_layer_name(1),
        run_contract.LOGITS_LAYER,
    ]
    assert [layer.name for layer in run_contract.recurrent_layers(model)] == ["rnn_0", "rnn_1"]
    assert run_contract.embedding_layer(model) is model.layers[1]
    assert run_contract.logits_layer(model) is model.layers[-1]


def test_a_finished_run_holds_what_the_contract_names(tiny_run):
    _, run_dir, metrics = tiny_run
    entries = {entry.name for entry in Path(run_dir).iterdir() if not entry.name.startswith(".")}
    assert entries == RUN_ENTRIES
    for split in ("test", "test_long"):  # validation is scored during training only
        assert metrics[split]["count"] == run_contract.EVAL_SIZES[split]
