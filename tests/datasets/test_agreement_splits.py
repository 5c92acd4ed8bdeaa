"""Splits: deterministic, disjoint by construction, each drawn from its own distribution."""

import collections
import itertools
import json
import os
import re
import signal
import subprocess
import sys
import time
import zlib

import pytest

from datasets.agreement import (
    CONFIGS,
    SPLITS,
    ControlledConfig,
    benchmark,
    load_split,
    load_splits,
    split_of,
    splits,
)

# The bucket ranges the splits module documents, written out here rather than read from it.
DOCUMENTED_BUCKETS = {
    "train": range(0, 60),
    "validation": range(60, 70),
    "test": range(70, 80),
    "test_long": range(80, 90),
    "test_attractors": range(90, 100),
}
# Sentences of 2-3 words' span over 8 nouns and one verb kind: a few hundred distinct
# sentences, so independent draws repeat each other often and only bucketing keeps the
# splits apart.
COLLIDING = ControlledConfig(
    dependency_length=0,
    long_dependency_length=1,
    lexicon_size=8,
    prefix_probability=0,
    adjective_probability=0,
    adverb_probability=0,
    verb_kinds=("be_present",),
)


def _sentences(examples):
    return {" ".join(e["tokens"]) for e in examples}


def test_there_are_five_splits():
    assert SPLITS == ("train", "validation", "test", "test_long", "test_attractors")


def test_no_sentence_is_in_two_splits(default_splits):
    for (a, first), (b, second) in itertools.combinations(default_splits.items(), 2):
        assert not _sentences(first) & _sentences(second), (a, b)


def _bucket(tokens):
    """CRC-32 of the space-joined tokens, modulo 100, computed here with zlib."""
    return zlib.crc32(" ".join(tokens).encode("utf-8")) % 100


def test_each_sentence_belongs_to_its_split_by_a_stable_hash(default_splits):
    for name, examples in default_splits.items():
        assert all(_bucket(e["tokens"]) in DOCUMENTED_BUCKETS[name] for e in examples), name
        assert all(split_of(e["tokens"]) == name for e in examples)


def test_a_sentence_bucket_is_crc32_of_its_joined_tokens_mod_100():
    tokens = "the cats , which already ate the mice , were happy .".split()
    # zlib.crc32(b"the cats , which already ate the mice , were happy .") == 3609343091
    assert _bucket(tokens) == 3609343091 % 100 == 91
    assert split_of(tokens) == "test_attractors"
    assert split_of("the cat is happy .".split()) == "train"  # bucket 1
    assert split_of("the dogs that the cat chases are big .".split()) == "train"  # 27
    for name, buckets in DOCUMENTED_BUCKETS.items():
        sentence = next(
            s for i in range(1000) if _bucket(s := ["the", f"cat{i}", "is", "here", "."]) in buckets
        )
        assert split_of(sentence) == name


def test_splits_are_the_same_under_any_python_hash_seed():
    code = (
        "import json; from datasets.agreement import load_split; "
        "print(json.dumps([e['tokens'] for e in load_split('tiny', 'test', 40, seed=5)]))"
    )
    here = [e["tokens"] for e in load_split("tiny", "test", 40, seed=5)]
    for hash_seed in ("1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
        )
        assert json.loads(result.stdout) == here, hash_seed


def test_sentences_that_repeat_across_draws_stay_in_one_split():
    splits = {name: load_split(COLLIDING, name, 300, seed=1) for name in SPLITS}
    # The same sentences do recur within a split: without bucketing they would be shared.
    assert len(_sentences(splits["train"])) < 200
    for (a, first), (b, second) in itertools.combinations(splits.items(), 2):
        assert not _sentences(first) & _sentences(second), (a, b)


def test_splits_are_deterministic_and_independent_of_each_other():
    assert load_split("tiny", "test", 50, seed=2) == load_split("tiny", "test", 50, seed=2)
    assert load_split("tiny", "test", 50, seed=2) != load_split("tiny", "test", 50, seed=3)
    assert load_split("tiny", "test", 20, seed=2) == load_split("tiny", "test", 50, seed=2)[:20]


def test_a_split_drawn_by_two_processes_is_the_split_drawn_by_one(monkeypatch):
    # Streams of 7 examples: 30 training sentences are five streams, for two processes.
    monkeypatch.setattr(splits, "EXAMPLES_PER_STREAM", 7)
    sizes = {"train": 30, "test": 10, "test_attractors": 12}
    by_two = load_splits("tiny", sizes, seed=1, processes=2)
    assert by_two == {split: load_split("tiny", split, n, seed=1) for split, n in sizes.items()}
    assert {split: len(examples) for split, examples in by_two.items()} == sizes
    # Each stream draws new sentences, and streams of 6 keep test_attractors balanced.
    assert len(_sentences(by_two["train"])) == 30
    k = CONFIGS["tiny"].attractor_test_max
    assert [e["n_attractors"] for e in by_two["test_attractors"]] == list(range(k + 1)) * (
        12 // (k + 1)
    )


def test_the_benchmark_times_one_process_beside_two_and_checks_their_examples(monkeypatch, capsys):
    monkeypatch.setattr(splits, "EXAMPLES_PER_STREAM", 20)
    benchmark.main(["--config", "tiny", "--n", "50", "--processes", "2"])
    assert re.fullmatch(
        r"50 sentences \(tiny, train, 3 streams of up to 20\): 1 process [\d.]+ s, "
        r"2 processes [\d.]+ s, [\d.]+x; same examples: yes\n",
        capsys.readouterr().out,
    )


def test_ctrl_c_while_processes_draw_stops_them_all_and_reaches_only_the_caller():
    script = (
        "from datasets.agreement import load_splits\n"
        "print('drawing', flush=True)\n"
        "try:\n"
        "    load_splits('english', {'train': 200_000}, processes=2)\n"
        "except KeyboardInterrupt:\n"
        "    print('interrupted', flush=True)\n"
    )
    caller = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's job is
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert caller.stdout.readline() == "drawing\n"
    time.sleep(2)  # the workers have started
    os.killpg(caller.pid, signal.SIGINT)  # what Ctrl-C sends: the whole group
    out, err = caller.communicate(timeout=60)
    assert (out, err) == ("interrupted\n", "")  # no worker printed a traceback
    assert not _group_alive(caller.pid, seconds=10)  # and none is left


def _group_alive(group: int, seconds: float) -> bool:
    """Whether a process of `group` still runs after `seconds` (multiprocessing's resource
    tracker leaves a moment after its caller)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return False
        time.sleep(0.1)
    return True


@pytest.mark.parametrize("config", ["tiny", "english", "nested_tiny"])
def test_the_benchmark_runs_on_every_grammar(config, capsys):
    benchmark.main(["--config", config, "--n", "20"])
    assert capsys.readouterr().out.startswith(f"20 sentences ({config}, no split filter) in ")


def test_a_splits_first_stream_is_the_same_whatever_the_stream_size(monkeypatch):
    first = load_split("tiny", "train", 7, seed=4)
    monkeypatch.setattr(splits, "EXAMPLES_PER_STREAM", 7)
    assert load_split("tiny", "train", 20, seed=4)[:7] == first


def test_in_distribution_splits_use_the_training_lengths(default_splits):
    low, high = CONFIGS["default"].dependency_length
    for name in ("train", "validation", "test", "test_attractors"):
        lengths = {e["dependency_length"] for e in default_splits[name]}
        assert min(lengths) >= low and max(lengths) <= high


def test_test_long_is_strictly_longer_than_training(default_splits):
    train_max = CONFIGS["default"].dependency_length[1]
    lengths = [e["dependency_length"] for e in default_splits["test_long"]]
    assert min(lengths) > train_max
    assert max(lengths) <= CONFIGS["default"].long_dependency_length[1]


def test_test_attractors_is_balanced_over_zero_to_k(default_splits, check):
    counts = collections.Counter(e["n_attractors"] for e in default_splits["test_attractors"])
    k = CONFIGS["default"].attractor_test_max
    assert counts == {i: 500 // (k + 1) for i in range(k + 1)}
    for example in default_splits["test_attractors"][:200]:
        check(example, lexicon_size=60)


def test_bad_split_name_is_rejected():
    with pytest.raises(ValueError, match="split must be one of"):
        load_split("tiny", "dev", 3)
    with pytest.raises(ValueError, match="split must be one of"):
        load_splits("tiny", {"train": 3, "dev": 3})


def test_load_splits_needs_a_size_for_each_split():
    with pytest.raises(ValueError, match="n must be a non-negative integer, got None"):
        load_splits("tiny", {"train": None})
