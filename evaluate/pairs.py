"""Score a trained model on external minimal pairs (BLiMP's JSON-lines format).

    python -m evaluate pairs blimp/regular_plural_subject_verb_agreement_1.jsonl --run runs/lm
    python -m evaluate pairs my_pairs.jsonl --run runs/gru-number --oov skip --out reports/pairs

Each line holds ``sentence_good`` and ``sentence_bad``, and may hold the shared
``one_prefix_prefix`` with the two verb forms ``one_prefix_word_good`` /
``one_prefix_word_bad``, a ``dependency_length`` and grouping fields (``UID``, …).
A pair is correct when the model prefers the good sentence:

- ``lm`` runs: by log-probability, of the word after the prefix when the prefix
  fields are there, else of the whole sentence (from its second word on);
- ``number`` runs: the number the model predicts from the prefix (the words
  before the verb, given or found where the two sentences differ) against the
  number of the good verb form, looked up in the run's lexicon.

A tie (equal scores) counts as half correct, so a model that cannot tell gets
0.5. Text is normalised like the training data: lower case, punctuation as its
own token, punctuation the vocabulary lacks dropped; ``--oov unk`` (default)
maps other unknown words to ``<unk>``, ``--oov skip`` leaves such pairs out.
Malformed lines are skipped and counted.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from datasets.agreement.text import normalise
from evaluate import comparison, intervals
from evaluate.cli import InputError
from evaluate.outputs import csv_text, write_outputs
from evaluate.runs import find_runs, load_model, load_vocab, require_task

TASKS = ("number", "lm")
OOV_POLICIES = ("unk", "skip")
DEFAULT_GROUP_FIELDS = ("UID", "linguistics_term", "group", "n_attractors", "construction")


@dataclass
class Pair:
    """One minimal pair, normalised: the two sentences and, if known, the prefix and verbs."""

    line: int
    good: list[str]
    bad: list[str]
    prefix: list[str] | None = None
    word_good: str | None = None
    word_bad: str | None = None
    dependency_length: int | None = None
    groups: dict = field(default_factory=dict)
    oov: tuple[str, ...] = ()

    def split_at_verb(self):
        """(prefix, good word, bad word): given, or where the two sentences differ in one word."""
        if self.prefix is not None and self.word_good and self.word_bad:
            return self.prefix, self.word_good, self.word_bad
        if len(self.good) != len(self.bad):
            return None
        differ = [i for i, (g, b) in enumerate(zip(self.good, self.bad, strict=True)) if g != b]
        if len(differ) != 1:
            return None
        i = differ[0]
        return self.good[:i], self.good[i], self.bad[i]


@dataclass
class PairFile:
    path: Path
    pairs: list[Pair]
    skipped: list[tuple[int, str]]  # (line number, why)


def read_pairs(path, group_fields=DEFAULT_GROUP_FIELDS) -> PairFile:
    """Parses a JSON-lines file; malformed lines are skipped and listed, never fatal."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"FILE: no such file {str(path)!r}")
    pairs, skipped = [], []
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                pairs.append(_parse(json.loads(text), number, group_fields))
            except json.JSONDecodeError:
                skipped.append((number, "not JSON"))
            except ValueError as error:
                skipped.append((number, str(error)))
    return PairFile(path, pairs, skipped)


def _parse(record, line: int, group_fields) -> Pair:
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    sentences = [record.get(key) for key in ("sentence_good", "sentence_bad")]
    if not all(isinstance(s, str) and normalise(s) for s in sentences):
        raise ValueError("needs non-empty strings sentence_good and sentence_bad")
    pair = Pair(line, normalise(sentences[0]), normalise(sentences[1]))
    prefix = [
        record.get(k) for k in ("one_prefix_prefix", "one_prefix_word_good", "one_prefix_word_bad")
    ]
    if all(isinstance(p, str) for p in prefix):
        words = [normalise(p) for p in prefix]
        if len(words[1]) == 1 and len(words[2]) == 1:
            pair.prefix, pair.word_good, pair.word_bad = words[0], words[1][0], words[2][0]
    length = record.get("dependency_length")
    if length is not None:
        if not isinstance(length, int) or isinstance(length, bool) or length < 0:
            raise ValueError(f"dependency_length must be a non-negative integer, got {length!r}")
        pair.dependency_length = length
    pair.groups = {
        key: str(record[key]) for key in group_fields if isinstance(record.get(key), str | int)
    }
    return pair


def in_vocabulary(pair: Pair, vocab) -> Pair:
    """The pair with punctuation the vocabulary lacks dropped, and its unknown words noted."""

    def keep(words):
        return None if words is None else [w for w in words if w in vocab or w[0].isalnum()]

    pair.good, pair.bad, pair.prefix = keep(pair.good), keep(pair.bad), keep(pair.prefix)
    words = set(pair.good) | set(pair.bad)
    pair.oov = tuple(sorted(w for w in words if w not in vocab))
    return pair


def verb_numbers(dataset_config) -> dict[str, int]:
    """Every agreeing verb form of the grammar → 0 singular, 1 plural ("eats" 0, "eat" 1)."""
    from datasets.agreement.grammar import AGREEING
    from datasets.agreement.lexicon import build_lexicon

    numbers = {}
    for singular, plural, *_ in build_lexicon(dataset_config.lexicon_size).verbs:
        numbers[singular], numbers[plural] = 0, 1
    for singular, plural in AGREEING.values():
        numbers[singular], numbers[plural] = 0, 1
    return numbers


def _pad(rows) -> np.ndarray:
    out = np.zeros((len(rows), max(len(r) for r in rows)), np.int32)
    for i, row in enumerate(rows):
        out[i, : len(row)] = row
    return out


def score_pairs(model, task: str, vocab, pairs, numbers=None, batch_size: int = 256):
    """Per pair: 1 (good preferred), 0.5 (tie), 0 (bad preferred) or NaN (cannot be scored).

    ``model`` needs only ``predict(ids, batch_size=, verbose=)``; ``numbers`` (verb
    form → 0/1) is needed for ``number`` models.
    """
    margins = np.full(len(pairs), np.nan)
    if task == "number":
        chosen, prefixes, wanted = [], [], []
        for i, pair in enumerate(pairs):
            split = pair.split_at_verb()
            if split and split[0] and split[1] in numbers:
                chosen.append(i)
                prefixes.append(vocab.encode(split[0]))
                wanted.append(numbers[split[1]])
        if chosen:
            logits = model.predict(_pad(prefixes), batch_size=batch_size, verbose=0)
            rows = np.arange(len(chosen))
            wanted = np.array(wanted)
            margins[chosen] = logits[rows, wanted] - logits[rows, 1 - wanted]
    elif task == "lm":
        with_prefix = [i for i, p in enumerate(pairs) if p.prefix and p.word_good and p.word_bad]
        taken = set(with_prefix)
        whole = [
            i for i, p in enumerate(pairs) if i not in taken and len(p.good) > 1 and len(p.bad) > 1
        ]
        if with_prefix:
            ids = [vocab.encode(pairs[i].prefix) for i in with_prefix]
            logits = model.predict(_pad(ids), batch_size=batch_size, verbose=0)
            last = logits[np.arange(len(ids)), [len(r) - 1 for r in ids]]
            good = vocab.encode(pairs[i].word_good for i in with_prefix)
            bad = vocab.encode(pairs[i].word_bad for i in with_prefix)
            rows = np.arange(len(ids))
            margins[with_prefix] = last[rows, good] - last[rows, bad]
        if whole:
            good = _log_probability(model, [vocab.encode(pairs[i].good) for i in whole], batch_size)
            bad = _log_probability(model, [vocab.encode(pairs[i].bad) for i in whole], batch_size)
            margins[whole] = good - bad
    else:
        raise InputError(f"--run: pairs scores runs of task {' or '.join(TASKS)}, got {task!r}")
    scores = np.where(margins > 0, 1.0, np.where(margins < 0, 0.0, 0.5))
    return np.where(np.isnan(margins), np.nan, scores)


def _log_probability(model, sentences, batch_size) -> np.ndarray:
    """Σ log p(w⟨t+1⟩ | w⟨1..t⟩) over each sentence, from its second word on."""
    inputs = _pad([s[:-1] for s in sentences])
    logits = model.predict(inputs, batch_size=batch_size, verbose=0).astype(np.float64)
    shifted = logits - logits.max(-1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(-1, keepdims=True))
    totals = np.zeros(len(sentences))
    for row, sentence in enumerate(sentences):
        steps = np.arange(len(sentence) - 1)
        totals[row] = log_p[row, steps, sentence[1:]].sum()
    return totals


def add_arguments(parser) -> None:
    parser.add_argument(
        "files", nargs="+", metavar="FILE.jsonl", help="minimal pairs, one JSON object a line"
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
        default=",".join(DEFAULT_GROUP_FIELDS),
        help="comma-separated fields to report accuracy by, where present "
        f"(default: {','.join(DEFAULT_GROUP_FIELDS)})",
    )
    parser.add_argument(
        "--out", metavar="DIR", help="also write pairs.csv and pairs_summary.csv here"
    )


def run(args) -> int:
    runs = find_runs([args.run])
    if len(runs) != 1:
        raise InputError(f"--run: {args.run} holds {len(runs)} runs; give one run directory")
    (trained,) = runs
    require_task(trained, TASKS, "pairs", "--run")
    group_fields = tuple(f for f in args.group_by.split(",") if f)
    files = [read_pairs(path, group_fields) for path in args.files]
    for pair_file in files:
        if not pair_file.pairs:
            raise InputError(
                f"FILE: {pair_file.path} has no valid minimal pair "
                f"({_skipped_text(pair_file.skipped)})"
            )
    from train.run import dataset_config

    vocab = load_vocab(trained)
    numbers = verb_numbers(dataset_config(trained.config))
    model = load_model(trained)
    rows, summary = [], []
    for pair_file in files:
        pairs = [in_vocabulary(p, vocab) for p in pair_file.pairs]
        with_oov = [p for p in pairs if p.oov]
        if args.oov == "skip":
            pairs = [p for p in pairs if not p.oov]
        scores = (
            score_pairs(model, trained.config.task, vocab, pairs, numbers)
            if pairs
            else np.array([])
        )
        scored = ~np.isnan(scores)
        print(f"== {pair_file.path}: {int(scored.sum())} pairs scored")
        if pair_file.skipped:
            print(f"malformed: {_skipped_text(pair_file.skipped)}")
        if (~scored).any():
            print(
                f"unscorable: {int((~scored).sum())} pairs (no single differing verb, an empty prefix, "
                "or a good verb form whose number the lexicon does not give)"
            )
        oov_words = sorted({w for p in with_oov for w in p.oov})
        handled = "left out (--oov skip)" if args.oov == "skip" else "mapped to <unk> (--oov unk)"
        print(
            f"out of vocabulary: {len(with_oov)} pairs had words outside the model's vocabulary"
            + (
                f" ({len(oov_words)} words, e.g. {', '.join(oov_words[:5])}); {handled}"
                if with_oov
                else ""
            )
        )
        kept = [p for p, ok in zip(pairs, scored, strict=True) if ok]
        values = scores[scored]
        print(f"accuracy: {values.mean():.4f}" if len(values) else "accuracy: nan")
        groups = _group_rows(pair_file.path, kept, values)
        for row in groups:
            if row["field"] == "all":
                print(f"95% CI: {comparison.interval_text(row['ci_low'], row['ci_high'])}")
        for name in sorted({r["field"] for r in groups} - {"all"}):
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
            print(f"\nby {name}:\n" + comparison.markdown([name, "n", "accuracy", "95% CI"], body))
        summary += groups
        rows += [
            {
                "file": str(pair_file.path),
                "line": p.line,
                "score": float(s),
                "dependency_length": p.dependency_length,
                "oov": " ".join(p.oov),
                **p.groups,
            }
            for p, s in zip(kept, values, strict=True)
        ]
    if args.out:
        columns = ["file", "line", "score", "dependency_length", "oov", *group_fields]
        write_outputs(
            args.out, {"pairs.csv": csv_text(rows, columns), "pairs_summary.csv": csv_text(summary)}
        )
    return 0


def _skipped_text(skipped, shown: int = 3) -> str:
    if not skipped:
        return "no line skipped"
    first = "; ".join(f"line {n}: {why}" for n, why in skipped[:shown])
    return f"{len(skipped)} lines skipped: {first}" + ("; …" if len(skipped) > shown else "")


def _group_rows(path, pairs, scores) -> list[dict]:
    """Accuracy overall, by dependency length and by each grouping field, with Wilson intervals."""
    groups = defaultdict(list)
    for pair, score in zip(pairs, scores, strict=True):
        groups[("all", "all")].append(score)
        if pair.dependency_length is not None:
            groups[("dependency_length", pair.dependency_length)].append(score)
        for name, value in pair.groups.items():
            groups[(name, value)].append(score)
    rows = []
    for (name, value), values in sorted(
        groups.items(), key=lambda item: (item[0][0], str(type(item[0][1])), item[0][1])
    ):
        low, high = intervals.wilson(float(np.sum(values)), len(values))
        rows.append(
            {
                "file": str(path),
                "field": name,
                "value": str(value),
                "count": len(values),
                "accuracy": float(np.mean(values)),
                "ci_low": low,
                "ci_high": high,
            }
        )
    return rows
