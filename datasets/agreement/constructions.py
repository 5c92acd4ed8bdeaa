"""How often each construction and verb role occurs in a configuration's training data (the
dataset card's table for the english grammar).

    python -m datasets.agreement.constructions                      # english, 20,000 sentences
    python -m datasets.agreement.constructions --config english_tiny --n 2000
"""

from __future__ import annotations

import collections

from cli_support.errors import one_line_errors
from cli_support.parsing import OneLineParser, positive_int
from datasets.agreement.config import CONFIGS
from datasets.agreement.splits import load_split


def construction_shares(examples: list[dict]) -> tuple[dict[str, float], dict[str, float]]:
    """(share of sentences using each construction of `phenomena`, share of agreeing verbs
    in each role of `verb_roles`), each sorted from the most common."""
    phenomena = collections.Counter(p for e in examples for p in e.get("phenomena", ()))
    roles = collections.Counter(r for e in examples for r in e.get("verb_roles", ()))
    verbs = sum(roles.values()) or 1
    return (
        {name: count / len(examples) for name, count in phenomena.most_common()},
        {role: count / verbs for role, count in roles.most_common()},
    )


def main(argv: list[str] | None = None) -> None:
    parser = OneLineParser(prog="python -m datasets.agreement.constructions")
    parser.add_argument("--config", choices=sorted(CONFIGS), default="english")
    parser.add_argument("--n", type=positive_int, default=20_000)
    args = parser.parse_args(argv)
    with one_line_errors(parser.prog):  # Ctrl-C: one line, no traceback
        examples = load_split(args.config, "train", args.n)
        phenomena, roles = construction_shares(examples)
        verbs = sum(len(e.get("verb_roles", ())) for e in examples)
        print(f"{len(examples)} sentences, {verbs} agreeing verbs")
        print("\nconstruction               share of sentences")
        for name, share in phenomena.items():
            print(f"{name:26s} {share:6.1%}")
        print("\nverb role                  share of agreeing verbs")
        for role, share in roles.items():
            print(f"{role:26s} {share:6.1%}")


if __name__ == "__main__":
    main()
