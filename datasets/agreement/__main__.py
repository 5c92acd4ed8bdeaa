"""Command line for the agreement dataset.

    python -m datasets.agreement preview --n 5 --min-length 20
    python -m datasets.agreement preview --config long --split test_attractors --n 3
    python -m datasets.agreement export --split test --format jsonl --output test.jsonl
    python -m datasets.agreement export --split test_long --format tsv --n 500

preview marks the subject [like this], the agreeing verb <like this> and every attractor
*like this*. export writes one split to a file: to a temporary file beside it first, then
renamed over it (``cli_support.atomic_files``), so an interrupted or failed export (disk
full, no permission, Ctrl-C) leaves the old file as it was and nothing half-written. An
existing directory is refused, never replaced; a symbolic link keeps pointing at the file
it names, which is replaced; a device or pipe (``--output /dev/stdout``) is written to as
a stream. A bad flag prints one line naming the flag and its valid values and exits with
status 2; a file that cannot be written, one line naming it and status 1; Ctrl-C, one
line and 130.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from cli_support.atomic_files import text_output
from cli_support.errors import FileError, InputError, one_line_errors
from cli_support.parsing import OneLineParser, non_negative_int
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


def _parser() -> OneLineParser:
    parser = OneLineParser(prog="python -m datasets.agreement", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    def common(sub):
        sub.add_argument("--config", choices=sorted(CONFIGS), default="default")
        sub.add_argument("--split", choices=SPLITS, default=None)
        sub.add_argument("--n", type=non_negative_int, default=None, help="number of sentences")
        sub.add_argument("--seed", type=non_negative_int, default=None)

    preview = commands.add_parser("preview", help="print marked sample sentences")
    common(preview)
    preview.add_argument("--min-length", type=non_negative_int, default=None)
    preview.add_argument("--max-length", type=non_negative_int, default=None)

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
        raise InputError(
            f"--min-length/--max-length must satisfy min <= max < {MAX_DEPENDENCY_LENGTH}, "
            f"got {low} and {high}"
        )
    long_low, long_high = config.long_dependency_length
    long_low = max(long_low, high + 1)
    try:
        return config.replace(
            dependency_length=(low, high),
            long_dependency_length=(long_low, max(long_high, long_low)),
            attractor_test_max=min(config.attractor_test_max, high // config.words_per_noun),
        )
    except ValueError as error:  # a range the config refuses: the flags' fault
        raise InputError(f"--min-length/--max-length: {error}") from None


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
    default_name = f"agreement-{args.config}-{split}.{args.format}"
    output = Path(args.output or default_name)
    target = _export_target(output, default_name)
    try:
        with text_output(target) as out:
            if args.format == "tsv":
                out.write("\t".join(TSV_COLUMNS) + "\n")
            for example in iter_split(config, split, n, args.seed):
                out.write(_row(example, args.format))
    except OSError as error:
        raise FileError(f"--output: cannot write {str(output)!r}: {error.strerror}") from None
    print(f"wrote {n} {split} examples of config {args.config!r} to {output}", file=sys.stderr)


def _export_target(output: Path, default_name: str) -> Path:
    """The file to write for ``--output``, after refusing what must not be replaced.

    A symbolic link is followed, so the file it points to is replaced, not the link."""
    if output.is_dir():
        raise InputError(
            f"--output: {str(output)!r} is a directory; give a file path, "
            f"e.g. {str(output / default_name)!r}"
        )
    if output.exists() and not output.is_file():
        return output  # A device or a pipe (/dev/stdout): written as a stream.
    if output.is_symlink():
        output = Path(os.path.realpath(output))
    parent = output.parent
    if not parent.exists():
        raise InputError(f"--output: directory {str(parent)!r} does not exist")
    if not parent.is_dir():
        raise InputError(f"--output: {str(parent)!r} is not a directory")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InputError(f"--output: no permission to write in directory {str(parent)!r}")
    return output


def main(argv: list[str] | None = None) -> int:
    """Runs a command; whatever a user can cause ends in one line on stderr, never a
    traceback (``cli_support.errors``): 2 for a bad flag or path, 1 for a file that
    cannot be written, 130 for Ctrl-C."""
    parser = _parser()
    args = parser.parse_args(argv)
    with one_line_errors(f"{parser.prog} {args.command}"):
        if args.command == "preview":
            _preview(args)
        else:
            _export(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
