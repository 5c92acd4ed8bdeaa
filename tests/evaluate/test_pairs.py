"""`python -m evaluate pairs`: minimal pairs in BLiMP's JSON-lines format, scored by a run."""

import csv
import json

import numpy as np
import pytest

from datasets.agreement import normalise
from evaluate.__main__ import main
from evaluate.pair_files import in_vocabulary, read_pairs
from evaluate.pair_scoring import score_pairs


def detokenise(tokens):
    """Written English, as BLiMP has it: capitalised, punctuation attached."""
    text = " ".join(tokens).replace(" ,", ",").replace(" .", ".")
    return text[0].upper() + text[1:]


def blimp_line(example, with_prefix=True):
    tokens, verb = example["tokens"], example["verb_index"]
    bad = [*tokens[:verb], example["wrong_verb"], *tokens[verb + 1 :]]
    line = {
        "sentence_good": detokenise(tokens),
        "sentence_bad": detokenise(bad),
        "dependency_length": example["dependency_length"],
        "n_attractors": example["n_attractors"],
        "UID": "agreement_" + example["verb_kind"],
    }
    if with_prefix:
        line |= {
            "one_prefix_prefix": detokenise(tokens[:verb]),
            "one_prefix_word_good": example["correct_verb"],
            "one_prefix_word_bad": example["wrong_verb"],
        }
    return line


@pytest.fixture(scope="module")
def grammar_examples():
    """60 singular and 60 plural sentences of the tiny grammar's test split."""
    from datasets import agreement

    examples = agreement.load_split("tiny", "test", 600, seed=3)
    singular = [e for e in examples if e["label"] == 0][:60]
    plural = [e for e in examples if e["label"] == 1][:60]
    return singular + plural


@pytest.fixture(scope="module")
def vocab():
    from datasets import agreement

    return agreement.Vocabulary.from_config("tiny")


def write_jsonl(path, lines):
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return path


class AnswerModel:
    """A test double of a trained model that is given the answers: prefix ids → logits."""

    def __init__(self, answers, n_outputs):
        self.answers, self.n_outputs = answers, n_outputs

    def predict(self, ids, batch_size=None, verbose=0):
        per_step = self.n_outputs > 2
        out = np.zeros((*ids.shape, self.n_outputs) if per_step else (len(ids), 2), np.float32)
        for row, sequence in enumerate(ids):
            length = int((sequence != 0).sum())
            answer = self.answers[tuple(sequence[:length])]
            if per_step:
                out[row, length - 1, answer] = 5.0
            else:
                out[row, answer] = 5.0
        return out


class ConstantModel:
    """A test double that outputs the same logits whatever it reads."""

    def __init__(self, logits, per_step):
        self.logits, self.per_step = np.asarray(logits, np.float32), per_step

    def predict(self, ids, batch_size=None, verbose=0):
        shape = (*ids.shape, len(self.logits)) if self.per_step else (len(ids), len(self.logits))
        return np.broadcast_to(self.logits, shape)


def test_text_is_normalised_the_way_the_training_data_is(grammar_examples):
    for example in grammar_examples[:20]:
        assert normalise(detokenise(example["tokens"])) == example["tokens"]
    assert normalise("The cats, which ate!") == ["the", "cats", ",", "which", "ate", "!"]


@pytest.mark.parametrize("with_prefix", [True, False])
def test_a_number_model_given_the_answer_gets_every_pair_and_a_constant_one_half(
    grammar_examples, vocab, tmp_path, with_prefix
):
    path = write_jsonl(tmp_path / "p.jsonl", [blimp_line(e, with_prefix) for e in grammar_examples])
    pairs = [in_vocabulary(p, vocab) for p in read_pairs(path).pairs]
    answers = {
        tuple(vocab.encode(e["tokens"][: e["verb_index"]])): e["label"] for e in grammar_examples
    }
    oracle, reasons = score_pairs(AnswerModel(answers, 2), "number", vocab, pairs)
    assert oracle.mean() == 1.0 and reasons == [None] * len(pairs)
    always_plural, _ = score_pairs(ConstantModel([0.0, 1.0], False), "number", vocab, pairs)
    assert always_plural.mean() == 0.5


def test_an_lm_given_the_next_word_gets_every_pair_and_a_constant_one_half(
    grammar_examples, vocab, tmp_path
):
    path = write_jsonl(tmp_path / "p.jsonl", [blimp_line(e) for e in grammar_examples])
    pairs = [in_vocabulary(p, vocab) for p in read_pairs(path).pairs]
    answers = {
        tuple(vocab.encode(e["tokens"][: e["verb_index"]])): vocab.token_to_id(e["correct_verb"])
        for e in grammar_examples
    }
    oracle, _ = score_pairs(AnswerModel(answers, len(vocab)), "lm", vocab, pairs)
    assert oracle.mean() == 1.0
    constant, _ = score_pairs(ConstantModel(np.zeros(len(vocab)), True), "lm", vocab, pairs)
    assert constant.mean() == 0.5


def test_the_cli_scores_a_real_run_like_its_own_test_scoring(
    tiny_run, grammar_examples, vocab, tmp_path, capsys
):
    import keras

    from train.scoring import correct_by_example

    _, run_dir, _ = tiny_run
    lines = [blimp_line(e) for e in grammar_examples]
    path = write_jsonl(tmp_path / "p.jsonl", lines)
    out = tmp_path / "out"
    assert main(["pairs", str(path), "--run", str(run_dir), "--out", str(out)]) == 0
    stdout = capsys.readouterr().out
    (accuracy_line,) = [line for line in stdout.splitlines() if line.startswith("accuracy: ")]
    model = keras.saving.load_model(run_dir / "model.keras")
    expected = correct_by_example(model, "number", grammar_examples, vocab).mean()
    assert float(accuracy_line.split()[1]) == pytest.approx(expected, abs=1e-4)
    assert "by UID:" in stdout and "by dependency_length:" in stdout and "by n_attractors" in stdout
    assert "out of vocabulary: 0 pairs" in stdout
    assert {p.name for p in out.iterdir()} == {"pairs.csv", "pairs_summary.csv"}


def test_malformed_lines_are_counted_and_skipped_not_fatal(
    tiny_run, grammar_examples, tmp_path, capsys
):
    _, run_dir, _ = tiny_run
    good = [json.dumps(blimp_line(e)) for e in grammar_examples[:10]]
    text = "\n".join([good[0], "{not json", "[1, 2]", '{"sentence_good": 3}', *good[1:]]) + "\n"
    path = tmp_path / "mixed.jsonl"
    path.write_text(text)
    assert main(["pairs", str(path), "--run", str(run_dir)]) == 0
    stdout = capsys.readouterr().out
    assert "malformed: 3 lines skipped: line 2: not JSON; line 3: not a JSON object" in stdout
    assert "10 pairs scored" in stdout


def test_unknown_words_are_counted_and_mapped_or_skipped(
    tiny_run, grammar_examples, tmp_path, capsys
):
    _, run_dir, _ = tiny_run
    lines = [blimp_line(e) for e in grammar_examples[:10]]
    lines[0]["sentence_good"] = "Zorbly " + lines[0]["sentence_good"]
    lines[0]["sentence_bad"] = "Zorbly " + lines[0]["sentence_bad"]
    path = write_jsonl(tmp_path / "p.jsonl", lines)
    assert main(["pairs", str(path), "--run", str(run_dir)]) == 0
    stdout = capsys.readouterr().out
    assert "1 pairs had words outside" in stdout and "zorbly" in stdout and "<unk>" in stdout
    assert "10 pairs scored" in stdout
    assert main(["pairs", str(path), "--run", str(run_dir), "--oov", "skip"]) == 0
    assert "9 pairs scored" in capsys.readouterr().out


@pytest.mark.parametrize(
    "case,argument",
    [
        ("missing_run", "RUN_DIR"),
        ("missing_file", "FILE"),
        ("all_malformed", "FILE"),
        ("grammaticality_run", "--run"),
    ],
)
def test_bad_input_gets_a_one_line_error(
    case, argument, tiny_run, relabelled_run, tmp_path, capsys
):
    _, run_dir, _ = tiny_run
    path = tmp_path / "p.jsonl"
    path.write_text("{oops\n")
    run = {
        "missing_run": tmp_path / "nowhere",
        "grammaticality_run": relabelled_run("grammaticality"),
    }.get(case, run_dir)
    files = [str(tmp_path / "absent.jsonl")] if case == "missing_file" else [str(path)]
    with pytest.raises(SystemExit) as exit_info:
        main(["pairs", *files, "--run", str(run)])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and argument in error


def summary_rows(out):
    with (out / "pairs_summary.csv").open() as handle:
        return list(csv.DictReader(handle))


def voice_pairs(count):
    """Pairs with a made-up condition `voice`, a note that differs in every pair, and a flag."""
    lines = []
    for k in range(count):
        passive, plural = k % 2 == 1, k % 4 >= 2
        subject = "dogs" if plural else "dog"
        verb, wrong = ("are", "is") if plural else ("is", "are")
        rest = "seen by the cat" if passive else "seeing the cat"
        lines.append(
            {
                "sentence_good": f"The {subject} {verb} {rest}.",
                "sentence_bad": f"The {subject} {wrong} {rest}.",
                "one_prefix_prefix": f"The {subject}",
                "one_prefix_word_good": verb,
                "one_prefix_word_bad": wrong,
                "voice": "passive" if passive else "active",
                "note": f"written on day {k}",
                "simple_LM_method": True,
                "pairID": str(k),
            }
        )
    return lines


def test_a_made_up_condition_field_gets_summary_rows_and_a_column(tiny_run, tmp_path, capsys):
    _, run_dir, _ = tiny_run
    path = tmp_path / "voices.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in voice_pairs(24)))
    out = tmp_path / "out"
    assert main(["pairs", str(path), "--run", str(run_dir), "--out", str(out)]) == 0
    assert "by voice:" in capsys.readouterr().out
    rows = summary_rows(out)
    voice = {r["value"]: r for r in rows if r["field"] == "voice"}
    assert {value: int(r["count"]) for value, r in voice.items()} == {"active": 12, "passive": 12}
    for row in voice.values():
        assert 0.0 <= float(row["accuracy"]) <= 1.0
        assert float(row["ci_low"]) <= float(row["accuracy"]) <= float(row["ci_high"])
    # 24 notes, one a pair, a true/false flag and the pair's own text are no conditions
    assert {r["field"] for r in rows} == {"all", "dependency_length", "voice"}
    with (out / "pairs.csv").open() as handle:
        pair_rows = list(csv.DictReader(handle))
    assert [r["voice"] for r in pair_rows] == [line["voice"] for line in voice_pairs(24)]


def test_group_by_names_the_fields_to_report_instead(tiny_run, tmp_path, capsys):
    _, run_dir, _ = tiny_run
    path = tmp_path / "voices.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in voice_pairs(8)))
    out = tmp_path / "out"
    arguments = ["pairs", str(path), "--run", str(run_dir), "--out", str(out)]
    assert main([*arguments, "--group-by", "note"]) == 0
    capsys.readouterr()
    assert {r["field"] for r in summary_rows(out)} == {"all", "dependency_length", "note"}


def test_a_field_is_a_condition_only_with_few_distinct_values(tmp_path):
    path = tmp_path / "voices.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in voice_pairs(24)))
    pair = next(iter(read_pairs(path).pairs))
    assert pair.groups == {"voice": "active"}
    few = tmp_path / "few.jsonl"
    few.write_text("".join(json.dumps(line) + "\n" for line in voice_pairs(20)))
    pair = next(iter(read_pairs(few).pairs))
    assert pair.groups == {"voice": "active", "note": "written on day 0"}


def test_out_is_written_whole_when_the_reader_of_stdout_leaves_early(
    tiny_run, grammar_examples, tmp_path, capsys, monkeypatch
):
    import os
    import sys

    _, run_dir, _ = tiny_run
    path = write_jsonl(tmp_path / "p.jsonl", [blimp_line(e) for e in grammar_examples[:20]])
    read_end, write_end = os.pipe()
    os.close(read_end)  # `| head -0`: the reader is gone before the first line
    gone = open(write_end, "w", buffering=1)
    monkeypatch.setattr(sys, "stdout", gone)
    out = tmp_path / "out"
    try:
        assert main(["pairs", str(path), "--run", str(run_dir), "--out", str(out)]) == 0
    finally:
        gone.close()
    assert capsys.readouterr().err == ""
    with (out / "pairs.csv").open() as handle:
        assert len(list(csv.DictReader(handle))) == 20
    assert {r["field"] for r in summary_rows(out)} >= {"all", "dependency_length"}


def test_a_pairs_file_is_streamed_in_memory_far_below_its_size(tmp_path, monkeypatch):
    import inspect
    import tracemalloc

    from datasets.agreement import Vocabulary
    from evaluate import pairs as pairs_module

    lines = voice_pairs(1000)
    for line in lines:
        line["note"] = "an unread field " * 120  # long lines: the file is large, its pairs few
    path = write_jsonl(tmp_path / "large.jsonl", lines)
    vocab = Vocabulary("the dog dogs is are seen seeing by cat .".split())
    monkeypatch.setattr(pairs_module, "CHUNK", 16)  # the batch held at once, made small
    model = ConstantModel([0.0, 1.0], per_step=False)
    pairs_module.score_pair_file(
        model, "number", vocab, read_pairs(write_jsonl(tmp_path / "warm.jsonl", lines[:4]))
    )  # fmt: skip  (first-use caches, not the file's)
    tracemalloc.start()
    try:
        pair_file = read_pairs(path)
        assert inspect.isgenerator(iter(pair_file.pairs))  # read anew, one pair at a time
        result = pairs_module.score_pair_file(model, "number", vocab, pair_file)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.scored == len(pair_file.pairs) == 1000 and result.accuracy == 0.5
    assert peak < path.stat().st_size / 10, (peak, path.stat().st_size)


@pytest.mark.parametrize(
    "encoding, says",
    [
        ("utf-16", "it starts with a UTF-16LE byte-order mark; convert it to UTF-8 (iconv -f "
         "UTF-16LE -t UTF-8)"),
        ("utf-16-le", "line 1 holds NUL bytes (UTF-16 without a byte-order mark?); convert it "
         "to UTF-8"),
        ("latin-1", "line 2 holds byte 0xe9, which UTF-8 does not allow there; convert it to "
         "UTF-8"),
    ],
)  # fmt: skip
def test_a_pairs_file_not_in_utf8_is_refused_in_one_line_saying_so(encoding, says, tmp_path):
    from cli_support.errors import InputError

    lines = voice_pairs(3)
    lines[1]["sentence_good"] = "The café is seen by the cat."
    path = tmp_path / "pairs.jsonl"
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines),
                    encoding=encoding)  # fmt: skip
    with pytest.raises(InputError) as error:
        read_pairs(path)
    assert str(error.value) == f"FILE: {str(path)!r} is not UTF-8 text: {says}"


def test_a_utf8_byte_order_mark_is_no_malformed_line(tmp_path):
    path = tmp_path / "pairs.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in voice_pairs(3)), "utf-8-sig")
    pair_file = read_pairs(path)
    assert len(pair_file.pairs) == 3 and pair_file.skipped_count == 0


def test_the_cli_refuses_a_utf16_pairs_file_in_one_line(tiny_run, tmp_path, capsys):
    _, run_dir, _ = tiny_run
    path = tmp_path / "windows.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in voice_pairs(3)), "utf-16")
    with pytest.raises(SystemExit) as exit_info:
        main(["pairs", str(path), "--run", str(run_dir)])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith(f"python -m evaluate pairs: error: FILE: {str(path)!r} is not UTF-8")
    assert len(error.splitlines()) == 1


def test_a_directory_read_as_a_pairs_file_is_called_a_directory(tmp_path):
    from cli_support.errors import InputError

    with pytest.raises(InputError, match="is a directory, not a file of pairs"):
        read_pairs(tmp_path)


def test_a_line_too_long_to_be_a_pair_is_skipped_without_being_held(tmp_path, monkeypatch):
    from evaluate import pair_files

    monkeypatch.setattr(pair_files, "MAX_LINE_BYTES", 1000)
    path = tmp_path / "pairs.jsonl"
    pair = json.dumps(voice_pairs(1)[0])
    path.write_text(f'{{"junk": "{"x" * 2500}"}}\n{pair}\n')
    pair_file = read_pairs(path)
    assert len(pair_file.pairs) == 1 and [p.line for p in pair_file.pairs] == [2]
    assert pair_file.skipped == [(1, "a line over 1000 bytes")]
