"""Where `evaluate pairs` finds its pairs: a file, a directory, a named suite, or TFDS's BLiMP.

    python -m evaluate pairs my_pairs.jsonl --run RUN                  # one file
    python -m evaluate pairs my_suite/ --run RUN                       # its *.jsonl, one table each
    python -m evaluate pairs blimp-agreement --run RUN                 # a suite shipped with gatezoo
    python -m evaluate pairs tfds:blimp/distractor_agreement_relational_noun --run RUN

Named suites are data: ``suite_data/suites.toml`` lists each suite's files (shipped
beside it), so adding one never touches scoring. ``tfds:blimp/<phenomenon>`` loads one
of BLiMP's 67 paradigms through TensorFlow Datasets, which downloads it on first use.
TFDS's copy lacks BLiMP's prefix fields, so there each pair's contrast is found where
the sentences differ.
"""

from __future__ import annotations

import os
import socket
import sys
import tomllib
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from cli_support.errors import InputError
from evaluate.pair_files import PairFile, parse_records, read_pairs

REGISTRY = Path(__file__).with_name("suite_data") / "suites.toml"
TFDS_PREFIX = "tfds:"
TFDS_BUILDER = "blimp"


@dataclass(frozen=True)
class Suite:
    name: str
    description: str
    files: tuple[Path, ...]


def registered_suites(registry: Path = REGISTRY) -> dict[str, Suite]:
    """{name: Suite} from the registry file; paths there are relative to it."""
    table = tomllib.loads(registry.read_text(encoding="utf-8"))
    return {
        name: Suite(name, entry["description"], tuple(registry.parent / f for f in entry["files"]))
        for name, entry in table.items()
    }


def load_pair_files(argument: str, group_fields=None, flag: str = "FILE") -> list[PairFile]:
    """The pair files an argument names: an existing file wins over a suite of that name.

    ``group_fields``: the fields to group by; None: each file's condition fields. A file
    with no valid pair (not a file of pairs at all) is refused in one line naming ``flag``,
    the command-line argument that gave it, as is anything that is no file of pairs.
    """
    files = _pair_files(argument, group_fields, flag)
    for pair_file in files:
        if not len(pair_file.pairs):
            raise InputError(
                f"{flag}: {pair_file.name} has no valid minimal pair ({pair_file.skipped_text()})"
            )
    return files


def _pair_files(argument: str, group_fields, flag: str) -> list[PairFile]:
    if argument.startswith(TFDS_PREFIX):
        return [load_tfds(argument[len(TFDS_PREFIX) :], group_fields, flag)]
    path = Path(argument)
    if path.is_file():
        return [read_pairs(path, group_fields, flag=flag)]
    if path.is_dir():
        files = sorted(path.glob("*.jsonl"))
        if not files:
            raise InputError(f"{flag}: directory {argument!r} holds no *.jsonl file of pairs")
        return [read_pairs(f, group_fields, f"{path.name}/{f.stem}", flag) for f in files]
    if path.exists():  # a pipe or a device: reading it could block
        raise InputError(f"{flag}: {argument!r} is not a regular file, so no file of pairs")
    suites = registered_suites()
    if argument in suites:
        return [
            read_pairs(f, group_fields, f"{argument}/{f.stem}", flag)
            for f in suites[argument].files
        ]
    raise InputError(
        f"{flag}: no such file, directory or suite {argument!r} "
        f"(suites: {', '.join(suites)}; or {TFDS_PREFIX}{TFDS_BUILDER}/<phenomenon>)"
    )


def load_tfds(name: str, group_fields=None, flag: str = "FILE") -> PairFile:
    """One BLiMP paradigm through tensorflow_datasets (into $TFDS_DATA_DIR if set)."""
    builder, _, paradigm = name.partition("/")
    if builder != TFDS_BUILDER or not paradigm:
        raise InputError(
            f"{flag}: {TFDS_PREFIX}{name}: expected {TFDS_PREFIX}{TFDS_BUILDER}/<phenomenon>, "
            f"e.g. {TFDS_PREFIX}{TFDS_BUILDER}/distractor_agreement_relational_noun"
        )
    import tensorflow_datasets as tfds

    paradigms = [config.name for config in tfds.builder_cls(TFDS_BUILDER).BUILDER_CONFIGS]
    if paradigm not in paradigms:
        agreement = [p for p in paradigms if "agreement" in p]
        raise InputError(
            f"{flag}: {TFDS_PREFIX}{name}: BLiMP has no phenomenon {paradigm!r}; "
            f"its agreement ones: {', '.join(agreement)} ({len(paradigms)} in all)"
        )
    data_dir = os.environ.get("TFDS_DATA_DIR")
    if not tfds.builder(name, data_dir=data_dir).is_prepared():
        _require_download_host(name, tfds.builder_cls(TFDS_BUILDER), flag)
    try:
        dataset = tfds.load(name, split="train", data_dir=data_dir)
        records = [_decoded(example) for example in tfds.as_numpy(dataset)]
    except Exception as error:  # noqa: BLE001  (TFDS fails in many ways offline; all are one line)
        first_line = (str(error).strip().splitlines() or [""])[0][:200]
        raise InputError(
            f"{flag}: {TFDS_PREFIX}{name} could not be loaded through tensorflow_datasets, "
            "which downloads it on first use (no internet access?): "
            f"{type(error).__name__}: {first_line}"
        ) from None
    return parse_records(records, f"{TFDS_PREFIX}{name}", group_fields)


def _require_download_host(name: str, builder_cls, flag: str) -> None:
    """Fails in one line, at once, when the host BLiMP downloads from cannot be reached:
    TFDS's own downloader retries for minutes before giving up."""
    module = sys.modules.get(builder_cls.__module__)
    url = getattr(module, "_DOWNLOAD_URL", None)
    host = urllib.parse.urlparse(url).hostname if isinstance(url, str) else None
    if host is None:
        return  # TFDS keeps its URL elsewhere now: let its downloader try
    try:
        socket.create_connection((host, 443), timeout=10).close()
    except OSError as error:
        raise InputError(
            f"{flag}: {TFDS_PREFIX}{name} could not be loaded through tensorflow_datasets, "
            f"which downloads it on first use, and {host} cannot be reached (no internet access?): "
            f"{error}"
        ) from None


def _decoded(example: dict) -> dict:
    return {
        key: value.decode("utf-8") if isinstance(value, bytes) else value.item()
        for key, value in example.items()
    }
