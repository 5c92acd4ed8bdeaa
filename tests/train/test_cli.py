"""`python -m train` rejects bad input with one line naming the flag, and documents every flag."""

import dataclasses
import subprocess
import sys

import pytest

import zoo
from train.__main__ import main
from train.cli import build_parser
from train.config import MODEL_NAMES, TrainConfig, flag_name


def run_main_expecting_error(argv, capsys) -> str:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    return err


def test_unknown_model_is_one_line_naming_the_flag_and_choices_without_traceback(repo_root):
    result = subprocess.run(
        [sys.executable, "-m", "train", "--model", "does-not-exist"],
        cwd=repo_root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    [error_line] = result.stderr.splitlines()
    assert error_line.startswith("python -m train: error: --model")
    assert "does-not-exist" in error_line
    assert "gru" in error_line and "simplified_gru" in error_line


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--task", "translation"], ["--task", "number", "lm", "grammaticality"]),
        (["--units", "0"], ["--units", "positive integer"]),
        (["--units", "many"], ["--units", "integer"]),
        (["--learning-rate", "-1"], ["--learning-rate", "positive"]),
        (["--strategy", "cloud"], ["--strategy", "mirrored", "multiworker"]),
        (["--learning-rate-schedule", "linear"], ["--learning-rate-schedule", "cosine"]),
        (["--dataset-config", "nope"], ["--dataset-config", "default"]),
        (["--config", "no/such/file.toml"], ["--config", "no/such/file.toml"]),
        (["--resume", "no/such/run"], ["--resume", "no/such/run"]),
        (["--epochs"], ["--epochs"]),
        # An empty path is no path: --resume "" would otherwise train a new run.
        (["--config", ""], ["--config", "TOML file", "empty path"]),
        (["--resume", ""], ["--resume", "run directory", "empty path"]),
        (["--run-dir", ""], ["--run-dir", "directory", "empty path"]),
    ],
)
def test_bad_flag_values_give_one_line_errors(argv, expected, capsys):
    error = run_main_expecting_error(argv, capsys)
    for fragment in expected:
        assert fragment in error


def test_toml_config_with_an_unknown_key_names_the_key(tmp_path, capsys):
    config_file = tmp_path / "experiment.toml"
    config_file.write_text('model = "gru"\nunit = 8\n')
    error = run_main_expecting_error(["--config", str(config_file)], capsys)
    assert "'unit'" in error and "units" in error


def test_toml_config_is_read_and_flags_override_it(tmp_path):
    from train.cli import parse_config

    config_file = tmp_path / "experiment.toml"
    config_file.write_text('model = "simplified_gru"\nunits = 16\nepochs = 2\n')
    config, _ = parse_config(["--config", str(config_file), "--units", "24"])
    assert (config.model, config.units, config.epochs) == ("simplified_gru", 24, 2)


def test_unset_flags_keep_the_config_defaults():
    from train.cli import parse_config

    config, _ = parse_config([])
    assert config == TrainConfig()


def test_help_documents_every_config_field_and_run_control_flag():
    help_text = build_parser().format_help()
    for spec in dataclasses.fields(TrainConfig):
        expected = "--no-jit" if spec.name == "jit" else flag_name(spec.name)
        assert expected in help_text
    for run_flag in ("--config", "--resume", "--overwrite"):
        assert run_flag in help_text


def test_an_existing_run_directory_is_refused_without_overwrite(tmp_path, capsys):
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    (run_dir / "config.json").write_text("{}")
    error = run_main_expecting_error(["--run-dir", str(run_dir)], capsys)
    assert "--run-dir" in error and "--overwrite" in error
    assert (run_dir / "config.json").read_text() == "{}"


def test_help_gives_each_default_once_and_says_what_no_jit_does():
    help_text = " ".join(build_parser().format_help().split())
    assert "(default: None)" not in help_text
    assert help_text.count("(default: the dataset config's)") == 1
    assert "--no-jit train without XLA" in help_text


def test_a_directory_given_as_config_is_called_a_directory_not_missing(tmp_path, capsys):
    error = run_main_expecting_error(["--config", str(tmp_path)], capsys)
    assert error == (
        f"python -m train: error: --config: {str(tmp_path)!r} is a directory, not a TOML file"
    )


def test_a_model_named_twice_is_refused_before_any_run():
    from train.cli import parse_config

    with pytest.raises(SystemExit) as refused:
        parse_config(["--model", "gru,lstm,gru", "--run-dir", "never"])
    assert refused.value.code == 2


def test_the_model_flag_accepts_exactly_the_registry():
    assert MODEL_NAMES == tuple(zoo.names())
