"""Command-line flags of ``python -m train``, derived from :class:`TrainConfig`.

Bad input never shows a traceback: the parser (``cli_support.parsing.OneLineParser``)
prints ``python -m train: error: <flag>: <what is wrong and the valid values>`` and exits 2.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import typing

from cli_support import errors
from cli_support.parsing import OneLineParser, integer, number, undecodable_argument
from train.config import (
    DATASET_PRESETS,
    MAX_SEED,
    TrainConfig,
    field_type,
    flag_name,
    read_toml_overrides,
    with_dataset_preset,
)
from train.distribution import WORKER_TIMEOUT_SECONDS
from train.presets import SWEEP_PRESETS

# Flags that name a path, and what each expects (--run-dir is checked by TrainConfig).
EMPTY_PATH_FLAGS = {
    "--config": "a TOML file",
    "--resume": "a run directory or a sweep's experiment directory",
}
PROG = "python -m train"
# The argument type of a field whose type is a plain int or float: its range is checked
# by TrainConfig, which names the flag.
NUMBER_TYPES = {int: integer, float: number}


def build_parser() -> OneLineParser:
    parser = OneLineParser(
        prog=PROG,
        description="Train a recurrent cell of the zoo on the subject-verb agreement benchmark.",
        epilog="Examples: python -m train; python -m train --model simplified_gru --epochs 3; "
        "python -m train --model gru,lstm --seeds 3; python -m train --sweep quiz",
    )
    for spec in dataclasses.fields(TrainConfig):
        preset = [
            f"{name}: {p[spec.name]}" for name, p in DATASET_PRESETS.items() if spec.name in p
        ]
        help_text = spec.metadata["help"]
        if "(default:" not in help_text:  # a field whose help says its default in words
            help_text += f" (default: {spec.default}"
            help_text += f"; with --dataset-config {', '.join(preset)})" if preset else ")"
        if spec.name == "jit":
            parser.add_argument(
                "--no-jit",
                dest="jit",
                action="store_const",
                const=False,
                help="train without XLA (default: the training step is compiled with XLA, "
                "jit_compile=True)",
            )
            continue
        kind = field_type(spec.name)
        convert = NUMBER_TYPES.get(kind, kind)
        parser.add_argument(flag_name(spec.name), dest=spec.name, type=convert, help=help_text)
    parser.add_argument(
        "--config", metavar="FILE.toml", help="read settings from a TOML file; flags override it"
    )
    parser.add_argument(
        "--resume",
        metavar="RUN_DIR",
        help="continue an interrupted run from its last completed epoch, with the settings "
        "of its config.json (flags that change them are refused); given a sweep's experiment "
        "directory, continue the sweep: its finished runs are kept, a started one resumes "
        "and the rest are trained",
    )
    parser.add_argument(
        "--overwrite",
        action="store_true",
        help="replace an existing run directory; only one that python -m train wrote",
    )
    parser.add_argument(
        "--seeds",
        type=integer,
        help="train each model with this many seeds, from --seed on; with several "
        "comma-separated --model names or --seeds > 1, the runs form a sweep in one experiment "
        "directory (default: 1)",
    )
    parser.add_argument(
        "--sweep",
        choices=sorted(SWEEP_PRESETS),
        help="a named sweep, whose models and seeds it sets (--seeds overrides the number); "
        + "; ".join(
            f"{name}: {', '.join(p.models)} × {p.seeds} seeds, {p.about}"
            for name, p in SWEEP_PRESETS.items()
        ),
    )
    parser.add_argument(
        "--worker-timeout",
        type=number,
        default=WORKER_TIMEOUT_SECONDS,
        metavar="SECONDS",
        help="with --strategy multiworker, how long to wait for the other workers of "
        "TF_CONFIG to start (default: %(default)s)",
    )
    parser.set_defaults(**{spec.name: None for spec in dataclasses.fields(TrainConfig)})
    return parser


def parse_config(argv=None) -> tuple[TrainConfig, argparse.Namespace]:
    """Parses flags into a validated config; exits with a one-line error on bad input.

    ``args.models`` lists the models of a sweep (``--model gru,lstm``, or those of the
    ``--sweep`` preset); the returned config holds the first of them.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if undecodable_argument(parser, args):
        parser.error(undecodable_argument(parser, args))
    for flag, expected in EMPTY_PATH_FLAGS.items():
        # An empty path would read as "not given": --resume "" would train a new run.
        if getattr(args, flag.removeprefix("--").replace("-", "_")) == "":
            parser.error(f"{flag}: expected {expected}, got an empty path")
    try:
        values = read_toml_overrides(args.config) if args.config else {}
        for spec in dataclasses.fields(TrainConfig):
            flag_value = getattr(args, spec.name)
            if flag_value is not None:
                values[spec.name] = flag_value
        given = dict(values)  # what --resume compares with the run's config.json
        values = with_dataset_preset(values)
        preset = SWEEP_PRESETS.get(args.sweep)
        if preset is not None and "model" in values:
            raise ValueError(
                f"--sweep: the {args.sweep} sweep names its models ({', '.join(preset.models)}); "
                "drop --model (or the TOML key 'model')"
            )
        if preset is not None:
            values["model"] = ",".join(preset.models)
        models = [name.strip() for name in str(values.get("model", TrainConfig.model)).split(",")]
        repeated = sorted({name for name in models if models.count(name) > 1})
        if repeated:  # refused before the first run starts, not when the second collides
            raise ValueError(f"--model: each model once, got {', '.join(repeated)} twice")
        configs = [TrainConfig(**{**values, "model": model}) for model in models]
        seeds = args.seeds if args.seeds is not None else preset.seeds if preset else 1
        if seeds < 1:
            raise ValueError(f"--seeds: expected a positive integer, got {seeds}")
        if configs[0].seed + seeds - 1 > MAX_SEED:
            raise ValueError(
                f"--seeds: {seeds} seeds from --seed {configs[0].seed} pass the largest seed "
                f"{MAX_SEED}"
            )
        if not (math.isfinite(args.worker_timeout) and args.worker_timeout > 0):
            raise ValueError(
                f"--worker-timeout: expected a positive number of seconds, got {args.worker_timeout}"
            )
        if args.resume:
            _refuse_with_resume(args, given, models)
    except (ValueError, TypeError) as error:
        parser.error(str(error))
    args.models = models
    args.seeds = seeds
    args.given = given
    return configs[0], args


def _refuse_with_resume(args, values: dict, models: list[str]) -> None:
    if args.seeds is not None or len(models) > 1 or args.sweep is not None:
        raise ValueError(
            "--resume: continues one run or sweep with its own settings; it cannot be "
            "combined with --seeds, --sweep or several --model names (a new sweep)"
        )
    if args.overwrite:
        raise ValueError("--resume: cannot be combined with --overwrite (resume keeps the run)")


def fail(message: str, status: int = errors.EXIT_BAD_INPUT) -> typing.NoReturn:
    """Ends ``python -m train`` with one line on stderr and ``status``."""
    errors.fail(PROG, message, status)
