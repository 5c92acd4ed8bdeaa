"""Score a trained model on external minimal pairs: files in BLiMP's JSON-lines format, or suites.

    python -m evaluate pairs blimp-agreement --run runs/gru-number     # BLiMP's six agreement files
    python -m evaluate pairs constructions --run runs/gru-number       # 23 hand-written constructions
    python -m evaluate pairs my_pairs.jsonl --run runs/lm --oov skip --out reports/pairs
    python -m evaluate pairs tfds:blimp/distractor_agreement_relational_noun --run runs/gru-number

What an argument may name (a file, a directory of files, a suite, a TFDS config) is in
:mod:`evaluate.suites`; the file format in :mod:`evaluate.pair_files`. A pair is
correct when the model prefers the good sentence; the rules, for pairs that differ in
the verb and pairs that differ in the subject, are in :mod:`evaluate.pair_scoring`. In
short: a ``number`` run must give the good verb's number (decided by English
morphology: "suffers", "isn't" singular; "suffer", "aren't" plural) more log-odds after
the words before the verb, or, when the subject differs, more log-odds to the shared
verb's number after the good subject than after the bad one; an ``lm`` run must give
the good continuation more probability.

What a ``number`` run is asked at the end of a prefix: the number of the subject of the
verb that comes next, as in its training data, where each example's label is the number
of the subject of the verb at ``verb_index``. That subject need not be the sentence's
first: after "The painting that the critics" it is "critics" (the relative's verb
comes next), after "The river is wide, and its banks" it is "banks", after "She thinks
the keys that the man holds" it is "keys".

A tie counts as half correct, so a model that cannot tell gets 0.5. Text goes through
the training data's normaliser; ``--oov unk`` (default) maps unknown words to
``<unk>``, ``--oov skip`` leaves such pairs out. What cannot be scored is counted by
reason; malformed lines are skipped and counted. BLiMP gives no dependency length: it
is then estimated as the words between the subject's head noun (the first noun of the
verb's number) and the verb.

The report groups each file's accuracy by dependency length and by every condition
field the file has (:func:`evaluate.pair_files.condition_fields`: a field of string or
integer values with few distinct ones, such as BLiMP's ``UID`` or a made-up ``voice``),
or by the fields ``--group-by`` names; ``pairs_summary.csv`` holds one row per (file,
field, value) with its count, accuracy and Wilson interval.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from cli_support.csv_rows import csv_text, spooled_csv
from cli_support.errors import InputError
from cli_support.output_directories import write_outputs
from evaluate import comparison, intervals
from evaluate.pair_files import MAX_CONDITION_VALUES, PairFile, in_vocabulary, parse_records
from evaluate.pair_scoring import TASKS, find_contrast, pair_margins, scores_of
from evaluate.suites import load_pair_files
from evaluate.trained_run import open_run

OOV_POLICIES = ("unk", "skip")
MALFORMED = "malformed"
OOV_SKIPPED = "words outside the vocabulary (--oov skip)"
# pairs_summary.csv: accuracy per group (field, value), and rows of field "unscored" whose
# value is a reason and count the pairs left out for it.
SUMMARY_COLUMNS = ["file", "field", "value", "count", "accuracy", "ci_low", "ci_high"]
# pairs.csv: one row per scored pair, then its condition fields (one of these names wins).
PAIR_COLUMNS = ["file", "line", "score", "dependency_length", "oov"]
# The command line's names for score_sources's arguments, as its errors give them.
ARGUMENTS = {"run_dir": "--run", "pairs": "FILE", "oov": "--oov", "group_by": "--group-by"}
# Pairs scored at a time: the model's batches, and all of a file's pairs held at once by
# the command line, which streams its files (a file's size never decides its memory).
CHUNK = 1024
# Words outside the vocabulary kept to report, from a file of any size.
MAX_OOV_WORDS = 10_000


@dataclass(eq=False)
class FileScores:
    """One file's result, tallied pair by pair: what was scored, and why the rest was not.

    ``pairs``, ``scores`` and ``margins`` hold every scored pair when the scoring kept
    them (:func:`score_sources`, the Python API); the command line streams its pairs to
    ``pairs.csv`` instead, and keeps only the tallies, so they are then empty.
    """

    name: str
    total: int = 0  # lines read: pairs and malformed lines
    scored: int = 0  # pairs scored
    hits: float = 0.0  # their scores summed: 1 a correct pair, 0.5 a tie
    unscored: Counter = field(default_factory=Counter)  # reason → pairs
    oov_pairs: int = 0  # pairs with a word outside the vocabulary, scored or not
    oov_words: set = field(default_factory=set)  # those words, the first MAX_OOV_WORDS
    lengths_estimated: bool = False
    groups: dict = field(default_factory=dict)  # (field, value) → [hits, count]
    skipped: list = field(default_factory=list)  # the first malformed lines: (number, why)
    skipped_text: str = "no line skipped"  # all malformed lines, counted, the first named
    pairs: list = field(default_factory=list)  # the scored pairs (evaluate.pair_files.Pair)
    # per kept pair: 1 good preferred, 0.5 a tie, 0 bad preferred; and good minus bad
    # (evaluate.pair_scoring): log-odds or log-probabilities
    scores: np.ndarray = field(default_factory=lambda: np.zeros(0))
    margins: np.ndarray = field(default_factory=lambda: np.zeros(0))

    @property
    def accuracy(self) -> float:
        return self.hits / self.scored if self.scored else float("nan")

    def add(self, pair, score: float) -> None:
        self.scored += 1
        self.hits += score
        keys = [("all", "all"), *pair.groups.items()]
        if pair.dependency_length is not None:
            keys.append(("dependency_length", pair.dependency_length))
        for key in keys:
            tally = self.groups.setdefault(key, [0.0, 0])
            tally[0] += score
            tally[1] += 1


def score_pair_file(
    model, task: str, vocab, pair_file: PairFile, oov: str = "unk", *, keep_pairs=False,
    on_scored=None,
) -> FileScores:  # fmt: skip
    """Scores the file's pairs :data:`CHUNK` at a time, never all at once; calls
    ``on_scored(pair, score)`` for each scored pair, in the file's order, and keeps
    them in the result only with ``keep_pairs``."""
    result = FileScores(
        pair_file.name,
        total=len(pair_file.pairs) + pair_file.skipped_count,
        skipped=list(pair_file.skipped),
        skipped_text=pair_file.skipped_text(),
    )
    if pair_file.skipped_count:
        result.unscored[MALFORMED] = pair_file.skipped_count
    kept_scores, kept_margins = [], []
    pairs = iter(pair_file.pairs)
    while chunk := list(itertools.islice(pairs, CHUNK)):
        for pair, score, margin in _scored_chunk(model, task, vocab, chunk, oov, result):
            if on_scored is not None:
                on_scored(pair, score)
            if keep_pairs:
                result.pairs.append(pair)
                kept_scores.append(score)
                kept_margins.append(margin)
    result.scores, result.margins = np.array(kept_scores), np.array(kept_margins)
    return result


def _scored_chunk(model, task, vocab, chunk, oov, result: FileScores):
    """(pair, score, margin) of each pair of ``chunk`` that could be scored, tallied into
    ``result`` with the pairs that could not."""
    pairs = [in_vocabulary(p, vocab) for p in chunk]
    with_oov = [p for p in pairs if p.oov]
    result.oov_pairs += len(with_oov)
    for pair in with_oov:
        room = MAX_OOV_WORDS - len(result.oov_words)
        result.oov_words.update(pair.oov[:room])
    if oov == "skip":
        pairs = [p for p in pairs if not p.oov]
        if with_oov:
            result.unscored[OOV_SKIPPED] += len(with_oov)
    margins, reasons = pair_margins(model, task, vocab, pairs, batch_size=256)
    result.unscored.update(r for r in reasons if r is not None)
    scored = []
    for pair, score, margin, reason in zip(
        pairs, scores_of(margins), margins, reasons, strict=True
    ):
        if reason is not None:
            continue
        if pair.dependency_length is None:
            contrast = find_contrast(pair)
            pair.dependency_length = (
                None if isinstance(contrast, str) else contrast.dependency_length
            )
            result.lengths_estimated = True
        result.add(pair, float(score))
        scored.append((pair, float(score), float(margin)))
    return scored


def score_sources(trained, pairs, oov: str = "unk", group_by=None) -> list[FileScores]:
    """Minimal pairs scored by ``trained`` (a :class:`evaluate.trained_run.TrainedRun` of
    task ``number`` or ``lm``), one :class:`FileScores` per file, each scored pair kept;
    see :meth:`evaluate.trained_run.TrainedRun.score_pairs` for what ``pairs`` may be."""
    return [
        score_pair_file(trained.model, trained.task, trained.vocab, f, oov, keep_pairs=True)
        for f in pair_files_of(trained, pairs, oov, group_by)
    ]


def pair_files_of(trained, pairs, oov: str = "unk", group_by=None) -> list[PairFile]:
    """The files ``pairs`` names, checked (each holds a valid pair), with the arguments."""
    trained.require_task(TASKS, "pairs")
    if oov not in OOV_POLICIES:
        raise InputError(
            f"{trained.argument('oov')}: invalid choice {oov!r} (choose from {', '.join(OOV_POLICIES)})"
        )
    group_fields = (
        None if group_by is None else _field_names(group_by, trained.argument("group_by"))
    )
    return _pair_files(pairs, group_fields, trained.argument("pairs"))


def _field_names(group_by, argument: str) -> list[str]:
    fields = [group_by] if isinstance(group_by, str) else group_by
    if not isinstance(fields, list | tuple) or not all(isinstance(f, str) for f in fields):
        raise InputError(f"{argument}: expected a list of field names, got {group_by!r}")
    return list(fields)


def _pair_files(pairs, group_fields, argument: str) -> list[PairFile]:
    """The files a source names (:func:`evaluate.suites.load_pair_files`), of a list of
    sources, or one file named ``pairs`` of a list of (good, bad) sentences or BLiMP records."""
    if isinstance(pairs, str | Path):
        pairs = [pairs]
    if not isinstance(pairs, list | tuple) or not pairs:
        raise InputError(
            f"{argument}: expected a file, suite or list of pairs, got {type(pairs).__name__}"
            if not isinstance(pairs, list | tuple)
            else f"{argument}: expected at least one file, suite or pair, got none"
        )
    if all(isinstance(item, str | Path) for item in pairs):
        return [f for source in pairs for f in load_pair_files(str(source), group_fields, argument)]
    records = [
        {"sentence_good": item[0], "sentence_bad": item[1]}
        if isinstance(item, list | tuple) and len(item) == 2
        else item
        for item in pairs
    ]
    pair_file = parse_records(records, "pairs", group_fields)
    if not len(pair_file.pairs):
        raise InputError(
            f"{argument}: {pair_file.name} has no valid minimal pair ({pair_file.skipped_text()})"
        )
    return [pair_file]


def pair_row(file_name: str, pair, score: float) -> dict:
    """A scored pair as a row of ``pairs.csv`` (its condition fields first)."""
    return {
        **pair.groups,
        "file": file_name,
        "line": pair.line,
        "score": score,
        "dependency_length": pair.dependency_length,
        "oov": " ".join(pair.oov),
    }


def summary_rows(results) -> list[dict]:
    """Accuracy by group, with the unscored pairs by reason: ``pairs_summary.csv``'s rows."""
    summary = []
    for result in results:
        summary += _group_rows(result) + [
            {"file": result.name, "field": "unscored", "value": reason, "count": count}
            for reason, count in sorted(result.unscored.items())
        ]
    return summary


def pairs_text(results, oov: str = "unk", open_vocabulary: bool = False) -> str:
    """What ``python -m evaluate pairs`` prints: per file its accuracy, what was not
    scored and why, and accuracy by group; then a table of all files."""
    lines = []
    for result in results:
        lines += _file_lines(result, oov, open_vocabulary)
        lines += _group_lines(_group_rows(result), result.lengths_estimated)
    if len(results) > 1:
        lines.append("\n== all files\n" + overview_table(results))
    return "\n".join(lines)


def add_arguments(parser) -> None:
    parser.add_argument(
        "files",
        nargs="+",
        metavar="FILE|SUITE",
        help="minimal pairs, one JSON object a line; a directory of such files; a suite "
        "name (blimp-agreement); or tfds:blimp/<phenomenon>",
    )
    parser.add_argument(
        "--run", required=True, metavar="RUN_DIR", help="a trained run of task number or lm"
    )
    parser.add_argument(
        "--oov",
        choices=OOV_POLICIES,
        default="unk",
        help="words outside the model's vocabulary: map to <unk> or skip the pair (default: unk)",
    )
    parser.add_argument(
        "--group-by",
        metavar="FIELDS",
        help="comma-separated fields to report accuracy by, where present (default: every "
        "condition field of each file: string or integer values, at most "
        f"{MAX_CONDITION_VALUES} distinct ones, not the sentences, prefixes, words or pairID)",
    )
    parser.add_argument(
        "--out", metavar="DIR", help="also write pairs.csv and pairs_summary.csv here"
    )


def run(args) -> int:
    trained = open_run(args.run, argument_names=ARGUMENTS)
    group_by = None if args.group_by is None else [f for f in args.group_by.split(",") if f]
    files = pair_files_of(trained, args.files, oov=args.oov, group_by=group_by)
    fields = dict.fromkeys(name for pair_file in files for name in pair_file.group_fields)
    columns = PAIR_COLUMNS + [f for f in fields if f not in PAIR_COLUMNS]
    # pairs.csv grows with the files: its rows go to a temporary file as they are scored.
    with spooled_csv(columns) as (write_row, rows):
        results = []
        for pair_file in files:
            result = score_pair_file(
                trained.model, trained.task, trained.vocab, pair_file, args.oov,
                on_scored=lambda pair, score, name=pair_file.name: write_row(
                    pair_row(name, pair, score)
                ),
            )  # fmt: skip
            results.append(result)
            print(pairs_text([result], args.oov, trained.vocab.suffixes is not None))
        if len(results) > 1:
            print("\n== all files\n" + overview_table(results))
        if not any(result.scored for result in results):
            reasons = sum((r.unscored for r in results), Counter())
            raise InputError(f"FILE: no pair could be scored ({_reasons_text(reasons)})")
        if args.out:
            rows.seek(0)
            write_outputs(
                args.out,
                {
                    "pairs.csv": rows,
                    "pairs_summary.csv": csv_text(summary_rows(results), SUMMARY_COLUMNS),
                },
            )
    return 0


def overview_table(results) -> str:
    """One row per file: pairs, scored, accuracy and its Wilson 95% interval."""
    body = []
    for result in results:
        low, high = intervals.wilson(result.hits, result.scored)
        accuracy = f"{result.accuracy:.3f}" if result.scored else "none scored"
        body.append(
            [
                result.name,
                str(result.total),
                str(result.scored),
                accuracy,
                comparison.interval_text(low, high),
            ]
        )
    return comparison.markdown(["file", "pairs", "scored", "accuracy", "95% CI"], body)


def _file_lines(result: FileScores, oov: str, open_vocabulary: bool) -> list[str]:
    lines = [f"\n== {result.name}: {result.scored} pairs scored of {result.total}"]
    lines.append(overview_table([result]))
    if result.skipped:
        lines.append(f"malformed: {result.skipped_text}")
    not_scored = sum(result.unscored.values())
    if not_scored:
        lines.append(f"unscored: {not_scored} pairs ({_reasons_text(result.unscored)})")
    oov_words = sorted(result.oov_words)
    handled = "left out (--oov skip)" if oov == "skip" else "mapped to <unk> (--oov unk)"
    if open_vocabulary and oov == "unk":
        handled += ", still read by their suffixes (an open vocabulary)"
    at_least = "at least " if len(oov_words) >= MAX_OOV_WORDS else ""
    lines.append(
        f"out of vocabulary: {result.oov_pairs} pairs had words outside the model's vocabulary"
        + (
            f" ({at_least}{len(oov_words)} words, e.g. {', '.join(oov_words[:5])}); {handled}"
            if result.oov_pairs
            else ""
        )
    )
    if result.scored:
        low, high = intervals.wilson(result.hits, result.scored)
        lines.append(f"accuracy: {result.accuracy:.4f}")
        lines.append(f"95% CI: {comparison.interval_text(low, high)}")
    else:
        lines.append("accuracy: none: no pair could be scored")
    return lines


def _group_lines(groups, lengths_estimated: bool) -> list[str]:
    lines = []
    for name in sorted({r["field"] for r in groups} - {"all"}):
        values = [r for r in groups if r["field"] == name]
        if len(values) == 1 and name != "dependency_length":
            continue  # one value ("UID" of a BLiMP file): the overall accuracy already says it
        body = [
            [
                r["value"],
                str(r["count"]),
                f"{r['accuracy']:.3f}",
                comparison.interval_text(r["ci_low"], r["ci_high"]),
            ]
            for r in groups
            if r["field"] == name
        ]
        note = (
            " (estimated: words between the subject's head noun and the verb)"
            if name == "dependency_length" and lengths_estimated
            else ""
        )
        lines.append(
            f"\nby {name}{note}:\n" + comparison.markdown([name, "n", "accuracy", "95% CI"], body)
        )
    return lines


def _reasons_text(reasons: Counter) -> str:
    return "; ".join(f"{reason}: {count}" for reason, count in reasons.most_common()) or "none"


def _group_rows(result: FileScores) -> list[dict]:
    """Accuracy overall, by dependency length and by each grouping field, with Wilson intervals."""
    rows = []
    for (field_name, value), (hits, count) in sorted(
        result.groups.items(), key=lambda item: (item[0][0], str(type(item[0][1])), item[0][1])
    ):
        low, high = intervals.wilson(hits, count)
        rows.append(
            {
                "file": result.name,
                "field": field_name,
                "value": str(value),
                "count": count,
                "accuracy": hits / count,
                "ci_low": low,
                "ci_high": high,
            }
        )
    return rows
