"""Accuracy of the shortcut heuristics: how well the label can be guessed without carrying
the subject's number (the table in README.md).

    python -m datasets.agreement.shortcuts                  # 20,000 default training sentences
    python -m datasets.agreement.shortcuts --config long --n 5000
"""

from __future__ import annotations

import collections

from cli_support.errors import one_line_errors
from cli_support.parsing import OneLineParser, positive_int
from datasets.agreement.config import CONFIGS
from datasets.agreement.splits import load_split


def _numbers(example: dict, kinds: tuple[str, str], start: int = 0) -> list[int]:
    """Numbers (1 plural) of the words tagged `kinds` before the agreeing verb."""
    tags = example["tags"][start : example["verb_index"]]
    return [int(tag == kinds[1]) for tag in tags if tag in kinds]


def _after_first_comma(example: dict) -> int:
    tags = example["tags"][: example["verb_index"]]
    start = tags.index("PUNCT") + 1 if "PUNCT" in tags else 0
    nouns = _numbers(example, ("N_SG", "N_PL"), start) or _numbers(example, ("N_SG", "N_PL"))
    return nouns[0]


HEURISTICS = {
    "number of the last noun before the verb": lambda e: _numbers(e, ("N_SG", "N_PL"))[-1],
    "number of the last number-marked verb": lambda e: (_numbers(e, ("V_SG", "V_PL")) or [0])[-1],
    "majority number of the nouns": lambda e: int(
        2 * sum(_numbers(e, ("N_SG", "N_PL"))) > len(_numbers(e, ("N_SG", "N_PL")))
    ),
    "the second word is a plural noun": lambda e: int(e["tags"][1] == "N_PL"),
    "first noun of the sentence": lambda e: _numbers(e, ("N_SG", "N_PL"))[0],
    "first noun after the first comma": _after_first_comma,
}
# Features that should say nothing: the best label per value, an in-sample upper bound.
FEATURES = {
    "construction": lambda e: e["construction"],
    "dependency length": lambda e: e["dependency_length"],
    "intervening nouns": lambda e: e["n_intervening_nouns"],
    "sentence length": lambda e: e["verb_index"],
}


def shortcut_accuracies(examples: list[dict]) -> dict[str, float]:
    """Label accuracy of every heuristic and of the best guess from each feature alone."""
    out = {
        name: sum(guess(e) == e["label"] for e in examples) / len(examples)
        for name, guess in HEURISTICS.items()
    }
    for name, feature in FEATURES.items():
        groups = collections.defaultdict(list)
        for example in examples:
            groups[feature(example)].append(example["label"])
        best = sum(max(sum(labels), len(labels) - sum(labels)) for labels in groups.values())
        out[f"best label per {name}"] = best / len(examples)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = OneLineParser(prog="python -m datasets.agreement.shortcuts")
    parser.add_argument("--config", choices=sorted(CONFIGS), default="default")
    parser.add_argument("--n", type=positive_int, default=20_000)
    args = parser.parse_args(argv)
    with one_line_errors(parser.prog):  # Ctrl-C: one line, no traceback
        examples = load_split(args.config, "train", args.n)
        for name, accuracy in shortcut_accuracies(examples).items():
            print(f"{name:42s} {accuracy:.3f}")


if __name__ == "__main__":
    main()
