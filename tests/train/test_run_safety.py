"""What `python -m train` promises about safety: `--overwrite` deletes only a run of its own,
one writer per run directory, bad input refused in one line before anything is created,
`--resume` continues exactly the run it finds, and a failing or interrupted run leaves no
half-written file and says how to continue."""

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from train.__main__ import main
from train.config import TrainConfig

TINY = ["--dataset-config", "tiny", "--train-size", "200", "--epochs", "1", "--units", "8",
        "--no-jit"]  # fmt: skip


def refused(argv, capsys, status=2) -> str:
    """Runs ``python -m train argv`` in this process; returns its one error line."""
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == status
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("python -m train: error:"), err
    return err


def run_train(argv, cwd, timeout=300, **options) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "train", *argv], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout, **options)  # fmt: skip


def error_line(result) -> str:
    """Our one error line; TensorFlow's C++ start-up lines may come before it."""
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    ours = [line for line in result.stderr.splitlines() if line.startswith("python -m train:")]
    assert len(ours) == 1, result.stderr[-3000:]
    return ours[0]


def fake_run(run_dir, **settings):
    """A run directory as `python -m train` leaves it before its first epoch ends."""
    config = TrainConfig(dataset_config="tiny", units=8, train_size=200, epochs=1, jit=False,
                         run_dir=str(run_dir), **settings)  # fmt: skip
    (run_dir / "checkpoints").mkdir(parents=True)
    (run_dir / "config.json").write_text(config.to_json())
    return config


def copy_of(tiny_run, target):
    """A copy of the shared tiny run (4 epochs), without this process's lock on it."""
    _, run_dir, _ = tiny_run
    shutil.copytree(run_dir, target, ignore=shutil.ignore_patterns(".lock"))
    return target


def partial_files(run_dir) -> list:
    return [path for path in run_dir.rglob("*") if "partial" in path.name]


# --overwrite and the lock


def test_overwrite_never_deletes_a_directory_holding_a_file_a_run_never_writes(tmp_path, capsys):
    fake_run(tmp_path / "run")
    (tmp_path / "run" / "notes.txt").write_text("mine")
    error = refused([*TINY, "--run-dir", str(tmp_path / "run"), "--overwrite"], capsys)
    assert "notes.txt" in error and "--overwrite" in error
    assert (tmp_path / "run" / "notes.txt").read_text() == "mine"


def test_overwrite_never_deletes_a_directory_that_is_not_a_run(tmp_path, capsys):
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "cat.jpg").write_bytes(b"\xff\xd8")
    error = refused([*TINY, "--run-dir", str(tmp_path / "photos"), "--overwrite"], capsys)
    assert "not a run directory" in error and "config.json" in error
    assert (tmp_path / "photos" / "cat.jpg").is_file()


@pytest.mark.parametrize("run_dir", [".", "..", "../.."])
def test_overwrite_never_deletes_the_working_directory_or_one_above_it(
    run_dir, tmp_path, monkeypatch, capsys
):
    working = tmp_path / "a" / "b"
    for directory in (working, working.parent, working.parent.parent):
        fake_run(directory)  # each looks like a run: only the working-directory rule refuses
    monkeypatch.chdir(working)
    error = refused([*TINY, "--run-dir", run_dir, "--overwrite"], capsys)
    assert "working directory" in error
    assert all((d / "config.json").is_file() for d in (working, working.parent, tmp_path / "a"))


def test_overwrite_replaces_a_run_of_its_own(tiny_run, tmp_path):
    from train.run import prepare_run_dir

    run_dir = copy_of(tiny_run, tmp_path / "run")
    config = TrainConfig(dataset_config="tiny", units=8, run_dir=str(run_dir))
    prepare_run_dir(config, overwrite=True)
    assert sorted(path.name for path in run_dir.iterdir()) == [".lock", "checkpoints",
                                                               "config.json"]  # fmt: skip
    assert TrainConfig.from_json((run_dir / "config.json").read_text()) == config


USER_VOCAB = b'["the", "dogs", "bark"]\n'


@pytest.mark.parametrize(
    "config",
    [b'{"learning_rate": 0.1, "layers": 2}\n', b"# my settings\nunits: 8\n", None],
    ids=["some-train-keys", "not-json", "gatezoo-config"],
)
def test_overwrite_never_deletes_a_users_own_config_and_vocab(config, tmp_path, capsys):
    """Known by content: a config.json with only some of TrainConfig's keys, or a
    vocab.json without gatezoo's format marker, is the user's, whatever its name."""
    run_dir = tmp_path / "run"
    if config is None:
        fake_run(run_dir)  # a run's config.json, with a user's vocab.json beside it
    else:
        run_dir.mkdir()
        (run_dir / "config.json").write_bytes(config)
    before = (run_dir / "config.json").read_bytes()
    (run_dir / "vocab.json").write_bytes(USER_VOCAB)
    error = refused([*TINY, "--run-dir", str(run_dir), "--overwrite"], capsys)
    culprit = "vocab.json" if config is None else "config.json"
    assert f"{run_dir / culprit} is not a file that python -m train writes" in error
    assert (run_dir / "config.json").read_bytes() == before
    assert (run_dir / "vocab.json").read_bytes() == USER_VOCAB


def fake_sweep(experiment, models=("gru", "lstm")):
    experiment.mkdir()
    runs = [str(experiment / f"{model}-seed0") for model in models]
    (experiment / "experiment.json").write_text(
        json.dumps({"models": list(models), "seeds": 1, "runs": runs})
    )
    fake_run(experiment / f"{models[0]}-seed0")  # the first run started, the second not


def test_a_sweeps_overwrite_never_deletes_a_user_folder_inside_it(tmp_path, capsys):
    experiment = tmp_path / "sweep"
    fake_sweep(experiment)
    settings = experiment / "mysettings"
    fake_run(settings)  # even a folder that looks like a run: experiment.json does not list it
    mine = (settings / "config.json").read_bytes()
    error = refused([*TINY, "--model", "gru,lstm", "--overwrite", "--run-dir", str(experiment)],
                    capsys)  # fmt: skip
    assert f"{settings} is not a file that python -m train writes" in error
    assert (settings / "config.json").read_bytes() == mine
    assert (experiment / "gru-seed0" / "config.json").is_file()


@pytest.mark.parametrize("grid", ["{}", '{"models": ["gru"], "notes": "mine"}', "[1, 2]"])
def test_a_sweeps_overwrite_needs_an_experiment_json_a_sweep_wrote(grid, tmp_path, capsys):
    experiment = tmp_path / "sweep"
    experiment.mkdir()
    (experiment / "experiment.json").write_text(grid)
    fake_run(experiment / "gru-seed0")
    error = refused([*TINY, "--model", "gru,lstm", "--overwrite", "--run-dir", str(experiment)],
                    capsys)  # fmt: skip
    assert f"{experiment / 'experiment.json'} is not a file" in error
    assert (experiment / "experiment.json").read_text() == grid
    assert (experiment / "gru-seed0" / "config.json").is_file()


def test_a_sweeps_overwrite_replaces_a_sweep_of_its_own(tmp_path, capsys):
    """What it may delete: the listed runs, one started and one not (monkeypatched to
    stop before training anything)."""
    from train import sweep

    experiment = tmp_path / "sweep"
    fake_sweep(experiment)
    (experiment / "lstm-seed0").mkdir()  # made, nothing written yet
    base = TrainConfig(dataset_config="tiny", units=8, run_dir=str(experiment))
    original_popen = sweep.subprocess.Popen

    def popen_no_training(command, *args, **options):
        """The sweep's `python -m train` children are processes that end at once, having
        done nothing; any other process (TensorFlow's first import asks the platform for
        its processor) runs as usual."""
        if list(command[1:3]) == ["-m", "train"]:
            command = [sys.executable, "-c", ""]
        return original_popen(command, *args, **options)

    try:
        sweep.subprocess.Popen = popen_no_training
        sweep.run_sweep(base, ["gru", "lstm"], 1, overwrite=True)
    finally:
        sweep.subprocess.Popen = original_popen
    assert not (experiment / "gru-seed0").exists() and not (experiment / "lstm-seed0").exists()
    assert json.loads((experiment / "experiment.json").read_text())["models"] == ["gru", "lstm"]


@pytest.mark.parametrize(
    ("argv", "existing"),
    [
        ([*TINY, "--overwrite", "--run-dir"], "run"),
        (["--resume"], "run"),
        ([*TINY, "--model", "gru,lstm", "--overwrite", "--run-dir"], "sweep"),
    ],
    ids=["overwrite", "resume", "sweep"],
)
def test_a_second_writer_is_refused_while_the_first_is_alive(argv, existing, tmp_path, repo_root):
    from train.run_directory import hold_lock, release_lock

    run_dir = tmp_path / "run"
    if existing == "run":
        fake_run(run_dir)
    else:
        run_dir.mkdir()
        (run_dir / "experiment.json").write_text('{"models": [], "seeds": 1, "runs": []}')
    before = sorted(path.name for path in run_dir.iterdir())
    hold_lock(run_dir, "--run-dir")  # this test process is the first writer
    try:
        result = run_train([*argv, str(run_dir)], repo_root)
    finally:
        release_lock(run_dir)
    assert result.returncode == 2
    assert f"in use by another training (process {os.getpid()})" in error_line(result)
    assert sorted(path.name for path in run_dir.iterdir()) == before


def test_a_lock_left_by_a_dead_process_is_taken_over_and_said_so(tmp_path, capsys):
    from train.run import prepare_run_dir

    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)  # fmt: skip
    dead_pid = ended.stdout.strip()
    config = fake_run(tmp_path / "run")
    (tmp_path / "run" / ".lock").write_text(f"{dead_pid}\n")
    prepare_run_dir(config, overwrite=True)
    err = capsys.readouterr().err
    assert f"locked by process {dead_pid}, which has ended; lock taken over" in err
    assert (tmp_path / "run" / ".lock").read_text().strip() == str(os.getpid())


# Refused before anything is created


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--max-train-length", "3"], ["--max-train-length", "tiny", "valid values"]),
        (["--dataset-config", "default", "--max-train-length", "5"], ["default", "14"]),
        (["--seed", "99999999999999999999999"], ["--seed", "4294967295"]),
        (["--learning-rate", "inf"], ["--learning-rate", "finite"]),
        (["--learning-rate", "nan"], ["--learning-rate", "finite"]),
    ],
)
def test_impossible_settings_are_refused_in_one_line_before_the_run_directory_exists(
    argv, expected, tmp_path, capsys
):
    run_dir = tmp_path / "run"
    error = refused([*TINY, *argv, "--run-dir", str(run_dir)], capsys)
    for fragment in expected:
        assert fragment in error
    assert not run_dir.exists()


@pytest.mark.parametrize("argv", [["--units", "3000000"], ["--train-size", "2000000000"]])
def test_sizes_beyond_this_machines_memory_are_refused_up_front(argv, tmp_path, repo_root):
    """In a process of its own with a time limit: were it not refused, it would fill memory."""
    run_dir = tmp_path / "run"
    result = run_train([*TINY, *argv, "--run-dir", str(run_dir)], repo_root, timeout=120)
    assert result.returncode == 2
    error = error_line(result)
    assert error.startswith(f"python -m train: error: {argv[0]}: {argv[1]} needs about")
    assert "more than this machine's" in error
    assert not run_dir.exists()


@pytest.mark.parametrize(
    ("settings", "flag"),
    [
        ({"units": 20_000}, "--units"),
        ({"embed_dim": 100_000}, "--embed-dim"),
        ({"embed_dim": 100_000, "batch_size": 4096}, "--embed-dim"),
        ({"batch_size": 1_000_000}, "--batch-size"),
        ({"train_size": 1_000_000}, "--train-size"),
    ],
)
def test_the_memory_refusal_names_the_flag_set_too_high(settings, flag):
    from train.limits import check_memory

    config = TrainConfig(dataset_config="tiny", **settings)
    check_memory(TrainConfig(dataset_config="tiny"), available=2**30)  # the defaults fit 1 GiB
    with pytest.raises(ValueError, match=f"^{flag}: .* more than this machine's 1.0 GiB"):
        check_memory(config, available=2**30)


def test_a_sweep_is_refused_whole_if_one_of_its_seeds_is_out_of_range(tmp_path, capsys):
    error = refused([*TINY, "--seed", "4294967295", "--seeds", "2",
                     "--run-dir", str(tmp_path / "sweep")], capsys)  # fmt: skip
    assert "--seeds" in error and "4294967295" in error
    assert not (tmp_path / "sweep").exists()


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        (b"run_dir = 5\n", ["'run_dir'", "a string", "5"]),
        (b'model = ["gru", "lstm"]\n', ["'model'", "a string", 'model = "gru,lstm"']),
        (b"units = 8.5\n", ["'units'", "an integer"]),
        (b"jit = 1\n", ["'jit'", "true or false"]),
        (bytes(range(256)), ["not a TOML file"]),
    ],
    ids=["run_dir-int", "model-list", "units-float", "jit-int", "binary"],
)
def test_a_toml_value_of_the_wrong_type_names_the_file_and_key(toml, expected, tmp_path, capsys):
    config_file = tmp_path / "experiment.toml"
    config_file.write_bytes(toml)
    error = refused(["--config", str(config_file)], capsys)
    assert str(config_file) in error
    for fragment in expected:
        assert fragment in error


def test_a_run_directory_that_is_a_file_or_under_one_is_refused(tmp_path, capsys):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine")
    for run_dir, reason in ((a_file, "is a file"), (a_file / "run", "lies under")):
        error = refused([*TINY, "--run-dir", str(run_dir)], capsys)
        assert reason in error and str(run_dir) in error
    assert a_file.read_text() == "mine"


def test_a_run_directory_that_cannot_be_created_is_refused(capsys):
    run_dir = "/sys/gatezoo-run"  # sysfs refuses mkdir to everyone, root included
    error = refused([*TINY, "--run-dir", run_dir], capsys)
    assert "/sys" in error
    assert not os.path.exists(run_dir)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only directories")
def test_a_run_directory_in_a_read_only_directory_is_refused(tmp_path, capsys):
    read_only = tmp_path / "read-only"
    read_only.mkdir(mode=0o555)
    error = refused([*TINY, "--run-dir", str(read_only / "run")], capsys)
    assert str(read_only) in error and "cannot write" in error


# --resume


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--epochs", "5", "--model", "lstm"], ["--epochs 5", "--model lstm", "the run has"]),
        (["--seeds", "2"], ["--seeds"]),
        (["--model", "gru,lstm"], ["sweep"]),
        (["--overwrite"], ["--overwrite"]),
    ],
)
def test_resume_refuses_flags_that_would_change_the_run(argv, expected, tmp_path, capsys):
    run_dir = tmp_path / "run"
    fake_run(run_dir)
    (run_dir / "metrics.json").write_text('{"written": "before"}')
    error = refused(["--resume", str(run_dir), *TINY, *argv], capsys)
    for fragment in expected:
        assert fragment in error
    assert (run_dir / "metrics.json").read_text() == '{"written": "before"}'


def test_resume_without_checkpoints_directory_is_an_error_not_a_restart(tmp_path, capsys):
    run_dir = tmp_path / "run"
    fake_run(run_dir)
    shutil.rmtree(run_dir / "checkpoints")
    error = refused(["--resume", str(run_dir), *TINY], capsys)  # its own settings: accepted
    assert str(run_dir / "checkpoints") in error and "--overwrite" in error
    assert not (run_dir / "checkpoints").exists()


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (lambda text: text[: len(text) // 2], "not valid JSON"),
        (lambda text: text.replace('"units"', '"unitz"'), "unknown key 'unitz'"),
        (lambda text: text.replace('"units": 8', '"units": -8'), "--units"),
        (lambda text: text.replace('"units": 8', '"units": "8"'), "--units"),
        (lambda text: "[1, 2]", "JSON object"),
    ],
    ids=["truncated", "unknown-key", "negative-units", "units-as-string", "not-an-object"],
)
def test_resume_of_a_damaged_config_names_the_file(damage, expected, tmp_path, capsys):
    run_dir = tmp_path / "run"
    fake_run(run_dir)
    config_path = run_dir / "config.json"
    config_path.write_text(damage(config_path.read_text()))
    error = refused(["--resume", str(run_dir)], capsys)
    assert str(config_path) in error and expected in error


def test_resume_of_a_finished_run_changes_nothing(tiny_run, tmp_path, capsys):
    run_dir = copy_of(tiny_run, tmp_path / "run")
    before = {path: path.read_bytes() for path in run_dir.rglob("*") if path.is_file()}
    assert main(["--resume", str(run_dir)]) == 0
    assert "already finished" in capsys.readouterr().out
    after = {path: path.read_bytes() for path in run_dir.rglob("*") if path.is_file()}
    assert after == before


def test_resume_falls_back_past_a_truncated_last_checkpoint_and_says_so(
    tiny_run, tmp_path, repo_root
):
    from train.checkpoints import is_readable

    run_dir = copy_of(tiny_run, tmp_path / "run")
    config = json.loads((run_dir / "config.json").read_text())
    (run_dir / "config.json").write_text(json.dumps({**config, "jit": False}))  # faster
    (run_dir / "model.keras").unlink()
    (run_dir / "metrics.json").unlink()
    last = run_dir / "checkpoints" / "epoch-04.keras"
    last.write_bytes(last.read_bytes()[:2000])  # a copy cut short

    result = run_train(["--resume", str(run_dir)], repo_root)
    assert result.returncode == 0, result.stderr[-3000:]
    message = error_line(result)
    assert f"{last} could not be read" in message and "continuing after epoch 3" in message
    assert (run_dir / "checkpoints" / "epoch-04.keras.unreadable").is_file()
    assert is_readable(last) and (run_dir / "metrics.json").is_file()


@pytest.mark.parametrize(
    ("other", "expected"),
    [
        ({"units": 16}, "16 units (the run has --units 8)"),
        ({"model": "lstm"}, "a model of cell lstm (the run has --model gru)"),
        ({"task": "lm"}, "a model of task lm (the run has --task number)"),
        ({"layers": 2}, "2 recurrent layers (the run has --layers 1)"),
        ({"embed_dim": 8}, "an embedding of 8 (the run has --embed-dim 32)"),
    ],
    ids=["units", "model", "task", "layers", "embed_dim"],
)  # fmt: skip
def test_resume_refuses_a_checkpoint_of_another_model(other, expected, tmp_path, capsys):
    """A checkpoint swapped in from another run is refused, never resumed silently."""
    import dataclasses

    from datasets import agreement
    from train.model import build_model
    from train.run_contract import dataset_config

    run_dir = tmp_path / "run"
    config = fake_run(run_dir)  # 8 units, a GRU, one layer, the default embedding
    foreign = dataclasses.replace(config, **other)
    vocab = agreement.Vocabulary.from_config(dataset_config(foreign))
    checkpoint = run_dir / "checkpoints" / "epoch-01.keras"
    build_model(foreign, len(vocab), vocab.suffixes).save(checkpoint)
    before = checkpoint.read_bytes()
    error = refused(["--resume", str(run_dir)], capsys)
    assert f"{checkpoint} holds another model than {run_dir / 'config.json'}: {expected}" in error
    assert checkpoint.read_bytes() == before
    assert sorted(path.name for path in run_dir.iterdir()) == ["checkpoints", "config.json"]


def test_a_checkpoint_is_readable_only_when_complete_and_uncorrupted(tiny_run, tmp_path):
    from train.checkpoints import is_readable

    _, run_dir, _ = tiny_run
    whole = (run_dir / "checkpoints" / "epoch-01.keras").read_bytes()
    with zipfile.ZipFile(run_dir / "checkpoints" / "epoch-01.keras") as archive:
        member = max(archive.infolist(), key=lambda info: info.compress_size)
    local_header = member.header_offset
    name_length = int.from_bytes(whole[local_header + 26 : local_header + 28], "little")
    extra_length = int.from_bytes(whole[local_header + 28 : local_header + 30], "little")
    data_start = local_header + 30 + name_length + extra_length
    flipped = bytearray(whole)
    flipped[data_start + member.compress_size // 2] ^= 0xFF  # one byte of the weights
    for name, content in (("whole", whole), ("cut", whole[:-100]), ("flipped", flipped)):
        (tmp_path / f"{name}.keras").write_bytes(bytes(content))
    assert is_readable(tmp_path / "whole.keras")
    assert not is_readable(tmp_path / "cut.keras")
    assert not is_readable(tmp_path / "flipped.keras")


def checkpoint_with_a_lambda_layer(config, path):
    """The run's model with a Lambda layer inside: code that would run on loading."""
    import keras

    import zoo

    tokens = keras.Input(shape=(None,), dtype="int32", name="tokens")
    hidden = keras.layers.Embedding(124, config.embed_dim, name="embedding")(tokens)
    hidden = keras.layers.Lambda(lambda x: x * 1.0, name="innocent")(hidden)
    hidden = zoo.build(config.model, units=config.units, name="rnn_0")(hidden)
    logits = keras.layers.Dense(2, name="logits")(hidden)
    keras.Model(tokens, logits, name=f"{config.model}_{config.task}").save(path)


def checkpoint_naming_an_unknown_class(config, path):
    """The run's own model, its head's class renamed in a zip whose every CRC is right."""
    from datasets import agreement
    from train.model import build_model
    from train.run_contract import dataset_config

    vocab = agreement.Vocabulary.from_config(dataset_config(config))
    build_model(config, len(vocab)).save(path.with_suffix(".tmp.keras"))
    with zipfile.ZipFile(path.with_suffix(".tmp.keras")) as archive:
        members = [(info, archive.read(info.filename)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w") as archive:
        for info, data in members:
            if info.filename == "config.json":
                data = data.replace(b'"class_name": "Dense"', b'"class_name": "Backdoor"')
            archive.writestr(info, data)
    path.with_suffix(".tmp.keras").unlink()


@pytest.mark.parametrize(
    ("plant", "good_epochs", "continuing"),
    [
        (checkpoint_with_a_lambda_layer, 1, "continuing after epoch 1"),
        (checkpoint_naming_an_unknown_class, 0, "starting again from epoch 1"),
    ],
    ids=["lambda", "unknown class"],
)
def test_resume_sets_aside_a_complete_checkpoint_that_keras_refuses_and_says_so(
    plant, good_epochs, continuing, tmp_path, capsys
):
    """Keras's safe_mode runs none of its code; the checkpoint is kept, renamed, and
    training continues from the newest checkpoint that loads."""
    from datasets import agreement
    from train.checkpoints import is_readable
    from train.model import build_model
    from train.run_contract import dataset_config

    run_dir = tmp_path / "run"
    config = fake_run(run_dir)
    config = TrainConfig(**{**json.loads(config.to_json()), "epochs": 2})
    (run_dir / "config.json").write_text(config.to_json())
    if good_epochs:
        vocab = agreement.Vocabulary.from_config(dataset_config(config))
        build_model(config, len(vocab)).save(run_dir / "checkpoints" / "epoch-01.keras")
    planted = run_dir / "checkpoints" / f"epoch-{good_epochs + 1:02d}.keras"
    plant(config, planted)
    assert is_readable(planted)
    before = planted.read_bytes()

    assert main(["--resume", str(run_dir)]) == 0
    ours = [line for line in capsys.readouterr().err.splitlines() if "python -m train" in line]
    assert len(ours) == 1 and ours[0].startswith(f"python -m train: cannot resume from {planted} (")
    assert ours[0].endswith(f"set aside as *.unreadable, {continuing}")
    assert (run_dir / "checkpoints" / f"{planted.name}.unreadable").read_bytes() == before
    assert (run_dir / "metrics.json").is_file()
    assert sorted(p.name for p in (run_dir / "checkpoints").iterdir() if p.suffix == ".keras") == [
        "epoch-01.keras",
        "epoch-02.keras",
    ]


# Failures while training


def test_a_full_disk_is_one_line_and_leaves_no_half_written_file(tmp_path, repo_root):
    """RLIMIT_FSIZE makes writes past 20 kB fail (EFBIG) as a full disk would (ENOSPC)."""
    run_dir = tmp_path / "run"

    def small_disk():
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    result = run_train([*TINY, "--run-dir", str(run_dir)], repo_root, preexec_fn=small_disk)
    assert result.returncode == 1
    error = error_line(result)
    assert str(run_dir) in error and "File too large" in error
    assert f"python -m train --resume {run_dir}" in error
    assert partial_files(run_dir) == []
    assert not (run_dir / "model.keras").exists()


def test_ctrl_c_ends_in_one_line_saying_how_to_resume(tmp_path, repo_root):
    run_dir = tmp_path / "my run"
    command = [sys.executable, "-m", "train", "--dataset-config", "tiny", "--train-size", "3000",
               "--epochs", "4", "--units", "8", "--no-jit", "--run-dir", str(run_dir)]  # fmt: skip
    process = subprocess.Popen(command, cwd=repo_root, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)  # fmt: skip
    deadline = time.monotonic() + 240
    while not (run_dir / "checkpoints" / "epoch-01.keras").exists():
        assert process.poll() is None and time.monotonic() < deadline, "ended before Ctrl-C"
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130
    result = subprocess.CompletedProcess(command, 130, "", stderr)
    assert error_line(result) == (
        f"python -m train: error: interrupted by SIGINT; continue with: "
        f"python -m train --resume '{run_dir}'"
    )
    assert partial_files(run_dir) == []


def test_ctrl_c_while_tensorflow_loads_ends_in_one_line_and_writes_nothing(tmp_path, repo_root):
    run_dir = tmp_path / "run"
    command = [sys.executable, "-m", "train", "--dataset-config", "tiny", "--run-dir", str(run_dir)]
    process = subprocess.Popen(command, cwd=repo_root, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)  # fmt: skip
    # TensorFlow's library is mapped early in its import, seconds before the import ends.
    deadline = time.monotonic() + 120
    while "libtensorflow" not in Path(f"/proc/{process.pid}/maps").read_text():
        assert process.poll() is None and time.monotonic() < deadline, "ended before Ctrl-C"
        time.sleep(0.01)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130
    assert stderr.strip().splitlines()[-1] == (
        "python -m train: error: interrupted by SIGINT while starting; nothing was written"
    )
    assert "Traceback" not in stderr
    assert not run_dir.exists()


@pytest.mark.parametrize("when", ["training", "finished"])
def test_sigterm_to_a_run_ends_in_one_line_like_ctrl_c(when, tmp_path, capsys, monkeypatch):
    import train.run
    import train.run_summary

    def terminated(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGTERM)  # the handler raises before the next line
        raise AssertionError("SIGTERM did not stop the run")

    if when == "training":
        monkeypatch.setattr(train.run, "train", terminated)
    else:
        monkeypatch.setattr(train.run, "train", lambda *args, **kwargs: {})
        monkeypatch.setattr(train.run_summary, "final_report", terminated)

    def outside(signal_number, frame):  # SIGTERM left to the caller's handler: a failure
        raise AssertionError("python -m train did not handle SIGTERM")

    previous = signal.signal(signal.SIGTERM, outside)
    run_dir = tmp_path / "my run"
    try:
        error = refused([*TINY, "--run-dir", str(run_dir)], capsys, status=143)
        assert signal.getsignal(signal.SIGTERM) is outside  # given back
    finally:
        signal.signal(signal.SIGTERM, previous)
    if when == "training":
        assert error == (
            "python -m train: error: interrupted by SIGTERM; continue with: "
            f"python -m train --resume '{run_dir}'"
        )
    else:  # never a hint to resume a finished run
        assert error == (
            "python -m train: error: interrupted by SIGTERM; the run had finished, its files "
            f"are complete in {run_dir}"
        )
    assert partial_files(run_dir) == [] and (run_dir / "config.json").is_file()


def test_a_run_whose_output_reader_left_finishes_and_is_not_called_failed(
    tiny_run, tmp_path, capsys, monkeypatch
):
    import train.run
    from cli_support import atomic_files

    _, _, metrics = tiny_run
    read_end, write_end = os.pipe()
    os.close(read_end)  # `| head -1` has exited
    gone = open(write_end, "w", buffering=1)
    monkeypatch.setattr(sys, "stdout", gone)

    def train_printing_progress(config, run_dir, **options):
        print("Epoch 1/1")  # as Keras's progress does, mid-run
        atomic_files.write_text(run_dir / "metrics.json", json.dumps(metrics))
        return metrics

    monkeypatch.setattr(train.run, "train", train_printing_progress)
    run_dir = tmp_path / "run"
    try:
        assert main([*TINY, "--run-dir", str(run_dir)]) == 0  # the final report is dropped
    finally:
        gone.close()
    assert capsys.readouterr().err == ""  # no failure, no hint to resume
    assert json.loads((run_dir / "metrics.json").read_text()) == metrics


def test_the_printed_tensorboard_command_quotes_a_path_with_spaces(tiny_run):
    from train.run_summary import final_report

    _, _, metrics = tiny_run
    assert "tensorboard --logdir 'runs/my run/logs'" in final_report(metrics, "runs/my run")


def test_a_finished_run_leaves_no_lock_or_temporary_file(tmp_path, repo_root):
    run_dir = tmp_path / "run"
    result = run_train([*TINY, "--run-dir", str(run_dir)], repo_root)
    assert result.returncode == 0, result.stderr[-3000:]
    assert sorted(path.name for path in run_dir.iterdir()) == [
        "checkpoints", "config.json", "logs", "metrics.json", "model.keras", "vocab.json"
    ]  # fmt: skip
    assert json.loads((run_dir / "metrics.json").read_text())["test"]["count"] > 0


# No write follows a link


PRECIOUS = b"precious user data\n\x00\xff the rest"


def precious_file(tmp_path):
    victim = tmp_path / "precious.bin"
    victim.write_bytes(PRECIOUS)
    return victim


def test_resume_refuses_a_lock_that_is_a_symlink_and_leaves_its_target_alone(tmp_path, capsys):
    victim = precious_file(tmp_path)
    fake_run(tmp_path / "run")
    (tmp_path / "run" / ".lock").symlink_to(victim)
    error = refused(["--resume", str(tmp_path / "run")], capsys)
    assert str(tmp_path / "run" / ".lock") in error and "symbolic link" in error
    assert "precious" not in error
    assert victim.read_bytes() == PRECIOUS


def test_a_sweeps_overwrite_refuses_a_lock_that_is_a_symlink(tmp_path, capsys):
    victim = precious_file(tmp_path)
    experiment = tmp_path / "sweep"
    experiment.mkdir()
    runs = [str(experiment / name) for name in ("gru-seed0", "lstm-seed0")]
    (experiment / "experiment.json").write_text(
        json.dumps({"models": ["gru", "lstm"], "seeds": 1, "runs": runs})
    )
    (experiment / ".lock").symlink_to(victim)
    error = refused([*TINY, "--model", "gru,lstm", "--overwrite", "--run-dir", str(experiment)],
                    capsys)  # fmt: skip
    assert str(experiment / ".lock") in error and "precious" not in error
    assert victim.read_bytes() == PRECIOUS
    assert (experiment / "experiment.json").is_file()


@pytest.mark.parametrize(
    "content", [PRECIOUS, b"12345 and a user's notes\n"], ids=["binary", "text"]
)
def test_a_lock_holding_anything_but_a_process_id_is_refused_untouched(content, tmp_path, capsys):
    """A hard link of a user's file, or a user's own ``.lock``: never truncated or printed."""
    fake_run(tmp_path / "run")
    lock = tmp_path / "run" / ".lock"
    lock.write_bytes(content)
    error = refused(["--resume", str(tmp_path / "run")], capsys)
    assert str(lock) in error and "precious" not in error and "notes" not in error
    assert lock.read_bytes() == content


def test_a_resumed_run_writes_through_no_planted_link(tmp_path, capsys):
    """A real resume in this process (so its pid, and the old temporary names, are known)."""
    victim = precious_file(tmp_path)
    run_dir = tmp_path / "run"
    fake_run(run_dir)
    for stem, suffix in (("vocab", ".json"), ("model", ".keras"), ("metrics", ".json"),
                         ("epoch-01", ".keras")):  # fmt: skip
        where = run_dir / "checkpoints" if stem.startswith("epoch") else run_dir
        (where / f".{stem}.partial-{os.getpid()}{suffix}").symlink_to(victim)
    assert main(["--resume", str(run_dir)]) == 0
    assert victim.read_bytes() == PRECIOUS
    for name in ("vocab.json", "model.keras", "metrics.json", "checkpoints/epoch-01.keras"):
        assert not (run_dir / name).is_symlink() and (run_dir / name).is_file()


@pytest.mark.parametrize("name", ["vocab.json", "metrics.json", "checkpoints", "logs"])
def test_resume_refuses_a_run_file_that_is_a_symlink(name, tmp_path, capsys):
    victim = precious_file(tmp_path)
    run_dir = tmp_path / "run"
    fake_run(run_dir)
    if name == "checkpoints":
        (run_dir / name).rmdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (run_dir / name).symlink_to(victim if name.endswith(".json") else elsewhere)
    error = refused(["--resume", str(run_dir)], capsys)
    assert str(run_dir / name) in error and "symbolic link" in error
    assert victim.read_bytes() == PRECIOUS and list(elsewhere.iterdir()) == []
    assert not (run_dir / ".lock").exists()


@pytest.mark.parametrize("target", ["loop", "missing"])
def test_a_run_dir_that_is_a_link_to_no_directory_is_refused_in_one_line(target, tmp_path, capsys):
    link = tmp_path / "loop"
    link.symlink_to(tmp_path / target)  # "loop" points at itself
    error = refused(["--dataset-config", "tiny", "--run-dir", str(link)], capsys)
    assert str(link) in error and "symbolic link" in error
    assert link.is_symlink() and not (tmp_path / "missing").exists()


@pytest.mark.parametrize(
    "argv",
    [["--run-dir", "{bad}"], ["--run-dir={bad}"], ["--resume", "{bad}"], ["--config", "{bad}"]],
)
def test_a_path_that_is_not_valid_utf8_is_refused_before_anything_is_created(
    argv, tmp_path, capsys
):
    """TensorFlow encodes its paths as UTF-8: such a name would fail mid-run."""
    bad = bytes(tmp_path) + b"/run\xff"
    flag = argv[0].split("=")[0]
    error = refused([*TINY, *(arg.replace("{bad}", os.fsdecode(bad)) for arg in argv)], capsys)
    assert error == (
        f"python -m train: error: {flag}: {bad!r} is not valid UTF-8, which TensorFlow needs "
        "in a path; rename it"
    )
    assert list(tmp_path.iterdir()) == []
