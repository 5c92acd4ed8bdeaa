"""Command line for the agreement dataset.

    python -m datasets.agreement preview --n 5 --min-length 20
    python -m datasets.agreement preview --config long --split test_attractors --n 3
    python -m datasets.agreement export --split test --format jsonl --output test.jsonl
    python -m datasets.agreement export --split test_long --format tsv --n 500

preview marks the subject [like this], the agreeing verb <like this> and every attractor
*like this*. export writes one split to a file (to a temporary file first, then renamed, so
an interrupted export leaves nothing half-written). A bad flag prints one line naming the
flag and its valid values and exits with status 2.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from datasets.agreement.config import CONFIGS, MAX_DEPENDENCY_LENGTH, resolve_config
from datasets.agreement.splits import SPLITS, iter_split

FORMATS = ("jsonl", "tsv")
TSV_COLUMNS = (
    "sentence",
    "label",
    "subject_index",
    "verb_index",
    "dependency_length",
    "n_attractors",
    "n_intervening_nouns",
    "construction",
    "verb_kind",
    "correct_verb",
    "wrong_verb",
    "tags",
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, no usage block, no traceback
        self.exit(2, f"{self.prog}: error: {message}\n")


def _non_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a non-negative integer, got {text!r}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m datasets.agreement", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def common(sub):
        sub.add_argument("--config", choices=sorted(CONFIGS), default="default")
        sub.add_argument("--split", choices=SPLITS, default=None)
        sub.add_argument("--n", type=_non_negative, default=None, help="number of sentences")
        sub.add_argument("--seed", type=_non_negative, default=None)

    preview = commands.add_parser("preview", help="print marked sample sentences")
    common(preview)
    preview.add_argument("--min-length", type=_non_negative, default=None)
    preview.add_argument("--max-length", type=_non_negative, default=None)

    export = commands.add_parser("export", help="write one split as JSON lines or TSV")
    common(export)
    export.add_argument("--format", choices=FORMATS, default="jsonl")
    export.add_argument("--output", default=None, help="file to write (default: derived)")
    return parser


def _preview_config(args):
    """The config with the dependency-length range narrowed to --min/--max-length."""
    config = resolve_config(args.config)
    low, high = config.dependency_length
    if args.min_length is None and args.max_length is None:
        return config
    low = low if args.min_length is None else args.min_length
    high = max(high, low) if args.max_length is None else args.max_length
    if high < low or high >= MAX_DEPENDENCY_LENGTH:
        raise ValueError(
            f"--min-length/--max-length must satisfy min <= max < {MAX_DEPENDENCY_LENGTH}, "
            f"got {low} and {high}"
        )
    long_low, long_high = config.long_dependency_length
    long_low = max(long_low, high + 1)
    return config.replace(
        dependency_length=(low, high),
        long_dependency_length=(long_low, max(long_high, long_low)),
        attractor_test_max=min(config.attractor_test_max, high // config.words_per_noun),
    )


def mark(example: dict) -> str:
    """The sentence with [subject], <verb> and *attractors* marked."""
    tokens = list(example["tokens"])
    tags = example["tags"]
    subject, verb = example["subject_index"], example["verb_index"]
    number = tags[subject]
    for i in range(subject + 1, verb):
        if tags[i] in ("N_SG", "N_PL") and tags[i] != number:
            tokens[i] = f"*{tokens[i]}*"
    tokens[subject] = f"[{tokens[subject]}]"
    tokens[verb] = f"<{tokens[verb]}>"
    return " ".join(tokens)


def _preview(args) -> None:
    config = _preview_config(args)
    n = 5 if args.n is None else args.n
    for example in iter_split(config, args.split or "train", n, args.seed):
        number = "plural" if example["label"] else "singular"
        print(mark(example))
        print(
            f"    {number}, dependency {example['dependency_length']}, "
            f"attractors {example['n_attractors']}/{example['n_intervening_nouns']} nouns, "
            f"{example['construction']}, wrong verb: {example['wrong_verb']}"
        )


def _row(example: dict, fmt: str) -> str:
    if fmt == "jsonl":
        return json.dumps(example, separators=(",", ":")) + "\n"
    values = dict(example, sentence=" ".join(example["tokens"]), tags=" ".join(example["tags"]))
    return "\t".join(str(values[column]) for column in TSV_COLUMNS) + "\n"


def _export(args) -> None:
    config = resolve_config(args.config)
    split = args.split or "test"
    n = 1000 if args.n is None else args.n
    output = Path(args.output or f"agreement-{args.config}-{split}.{args.format}")
    if not output.parent.is_dir():
        raise ValueError(f"--output: directory {str(output.parent)!r} does not exist")
    handle, tmp_name = tempfile.mkstemp(prefix=f".{output.name}.", dir=output.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            if args.format == "tsv":
                out.write("\t".join(TSV_COLUMNS) + "\n")
            for example in iter_split(config, split, n, args.seed):
                out.write(_row(example, args.format))
        os.replace(tmp_name, output)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    print(f"wrote {n} {split} examples of config {args.config!r} to {output}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "preview":
            _preview(args)
        else:
            _export(args)
    except ValueError as error:
        parser.exit(2, f"{parser.prog} {args.command}: error: {error}\n")
    except BrokenPipeError:  # `... preview | head`
        sys.stderr.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
