"""Score a trained model on external minimal pairs: files in BLiMP's JSON-lines format, or suites.

    python -m evaluate pairs blimp-agreement --run runs/gru-number     # BLiMP's six agreement files
    python -m evaluate pairs constructions --run runs/gru-number       # 18 hand-written constructions
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

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from cli_support.csv_rows import csv_text
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


@dataclass(frozen=True, eq=False)
class FileScores:
    """One file's result: the scored pairs with their scores, and why the others were not."""

    name: str
    total: int  # lines read: pairs and malformed lines
    pairs: list  # the scored pairs (evaluate.pair_files.Pair)
    scores: np.ndarray  # per scored pair: 1 good preferred, 0.5 a tie, 0 bad preferred
    unscored: Counter  # reason → pairs
    with_oov: list  # pairs with a word outside the vocabulary, scored or not
    lengths_estimated: bool
    # per scored pair, good minus bad (evaluate.pair_scoring): log-odds or log-probabilities
    margins: np.ndarray = field(default_factory=lambda: np.zeros(0))
    skipped: list = field(default_factory=list)  # malformed lines: (line number, why)

    @property
    def accuracy(self) -> float:
        return float(self.scores.mean()) if len(self.scores) else float("nan")


def score_pair_file(model, task: str, vocab, pair_file: PairFile, oov: str = "unk") -> FileScores:
    pairs = [in_vocabulary(p, vocab) for p in pair_file.pairs]
    with_oov = [p for p in pairs if p.oov]
    unscored = Counter({MALFORMED: len(pair_file.skipped)} if pair_file.skipped else {})
    if oov == "skip":
        pairs = [p for p in pairs if not p.oov]
        if with_oov:
            unscored[OOV_SKIPPED] = len(with_oov)
    margins, reasons = pair_margins(model, task, vocab, pairs)
    unscored.update(r for r in reasons if r is not None)
    kept = [p for p, reason in zip(pairs, reasons, strict=True) if reason is None]
    estimated = False
    for pair in kept:
        if pair.dependency_length is None:
            contrast = find_contrast(pair)
            pair.dependency_length = (
                None if isinstance(contrast, str) else contrast.dependency_length
            )
            estimated = True
    total = len(pair_file.pairs) + len(pair_file.skipped)
    margins = margins[~np.isnan(margins)]
    return FileScores(
        pair_file.name,
        total,
        kept,
        scores_of(margins),
        unscored,
        with_oov,
        estimated,
        margins,
        list(pair_file.skipped),
    )


def score_sources(trained, pairs, oov: str = "unk", group_by=None) -> list[FileScores]:
    """Minimal pairs scored by ``trained`` (a :class:`evaluate.trained_run.TrainedRun` of
    task ``number`` or ``lm``), one :class:`FileScores` per file; see
    :meth:`evaluate.trained_run.TrainedRun.score_pairs` for what ``pairs`` may be."""
    trained.require_task(TASKS, "pairs")
    if oov not in OOV_POLICIES:
        raise InputError(
            f"{trained.argument('oov')}: invalid choice {oov!r} (choose from {', '.join(OOV_POLICIES)})"
        )
    group_fields = (
        None if group_by is None else _field_names(group_by, trained.argument("group_by"))
    )
    files = _pair_files(pairs, group_fields, trained.argument("pairs"))
    for pair_file in files:
        if not pair_file.pairs:
            raise InputError(
                f"{trained.argument('pairs')}: {pair_file.name} has no valid minimal pair "
                f"({_skipped_text(pair_file.skipped)})"
            )
    vocab, model = trained.vocab, trained.model
    return [score_pair_file(model, trained.task, vocab, f, oov) for f in files]


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
        return [f for source in pairs for f in load_pair_files(str(source), group_fields)]
    records = [
        {"sentence_good": item[0], "sentence_bad": item[1]}
        if isinstance(item, list | tuple) and len(item) == 2
        else item
        for item in pairs
    ]
    return [parse_records(records, "pairs", group_fields)]


def pair_rows(results) -> list[dict]:
    """One row per scored pair, as ``pairs.csv`` holds them (its condition fields first)."""
    return [
        {
            **p.groups,
            "file": result.name,
            "line": p.line,
            "score": float(s),
            "dependency_length": p.dependency_length,
            "oov": " ".join(p.oov),
        }
        for result in results
        for p, s in zip(result.pairs, result.scores, strict=True)
    ]


def summary_rows(results) -> list[dict]:
    """Accuracy by group, with the unscored pairs by reason: ``pairs_summary.csv``'s rows."""
    summary = []
    for result in results:
        summary += _group_rows(result.name, result.pairs, result.scores) + [
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
        lines += _group_lines(
            _group_rows(result.name, result.pairs, result.scores), result.lengths_estimated
        )
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
    results = score_sources(trained, args.files, oov=args.oov, group_by=group_by)
    print(pairs_text(results, args.oov, open_vocabulary=trained.vocab.suffixes is not None))
    rows = pair_rows(results)
    if not rows:
        reasons = sum((r.unscored for r in results), Counter())
        raise InputError(f"FILE: no pair could be scored ({_reasons_text(reasons)})")
    if args.out:
        fields = dict.fromkeys(key for result in results for p in result.pairs for key in p.groups)
        columns = PAIR_COLUMNS + [f for f in fields if f not in PAIR_COLUMNS]
        write_outputs(
            args.out,
            {
                "pairs.csv": csv_text(rows, columns),
                "pairs_summary.csv": csv_text(summary_rows(results), SUMMARY_COLUMNS),
            },
        )
    return 0


def overview_table(results) -> str:
    """One row per file: pairs, scored, accuracy and its Wilson 95% interval."""
    body = []
    for result in results:
        low, high = intervals.wilson(float(result.scores.sum()), len(result.scores))
        accuracy = f"{result.accuracy:.3f}" if len(result.scores) else "none scored"
        body.append(
            [
                result.name,
                str(result.total),
                str(len(result.scores)),
                accuracy,
                comparison.interval_text(low, high),
            ]
        )
    return comparison.markdown(["file", "pairs", "scored", "accuracy", "95% CI"], body)


def _file_lines(result: FileScores, oov: str, open_vocabulary: bool) -> list[str]:
    lines = [f"\n== {result.name}: {len(result.scores)} pairs scored of {result.total}"]
    lines.append(overview_table([result]))
    if result.skipped:
        lines.append(f"malformed: {_skipped_text(result.skipped)}")
    not_scored = sum(result.unscored.values())
    if not_scored:
        lines.append(f"unscored: {not_scored} pairs ({_reasons_text(result.unscored)})")
    oov_words = sorted({w for p in result.with_oov for w in p.oov})
    handled = "left out (--oov skip)" if oov == "skip" else "mapped to <unk> (--oov unk)"
    if open_vocabulary and oov == "unk":
        handled += ", still read by their suffixes (an open vocabulary)"
    lines.append(
        f"out of vocabulary: {len(result.with_oov)} pairs had words outside the model's vocabulary"
        + (
            f" ({len(oov_words)} words, e.g. {', '.join(oov_words[:5])}); {handled}"
            if result.with_oov
            else ""
        )
    )
    if len(result.scores):
        low, high = intervals.wilson(float(result.scores.sum()), len(result.scores))
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


def _skipped_text(skipped, shown: int = 3) -> str:
    if not skipped:
        return "no line skipped"
    first = "; ".join(f"line {n}: {why}" for n, why in skipped[:shown])
    return f"{len(skipped)} lines skipped: {first}" + ("; …" if len(skipped) > shown else "")


def _group_rows(name, pairs, scores) -> list[dict]:
    """Accuracy overall, by dependency length and by each grouping field, with Wilson intervals."""
    groups = defaultdict(list)
    for pair, score in zip(pairs, scores, strict=True):
        groups[("all", "all")].append(score)
        if pair.dependency_length is not None:
            groups[("dependency_length", pair.dependency_length)].append(score)
        for field_name, value in pair.groups.items():
            groups[(field_name, value)].append(score)
    rows = []
    for (field_name, value), values in sorted(
        groups.items(), key=lambda item: (item[0][0], str(type(item[0][1])), item[0][1])
    ):
        low, high = intervals.wilson(float(np.sum(values)), len(values))
        rows.append(
            {
                "file": name,
                "field": field_name,
                "value": str(value),
                "count": len(values),
                "accuracy": float(np.mean(values)),
                "ci_low": low,
                "ci_high": high,
            }
        )
    return rows
