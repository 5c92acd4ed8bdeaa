"""Where in a sentence a step lies: at the subject, in the distractor span, or elsewhere.

The distractor span is the words strictly between the subject's head noun and
its verb: "The cats [, which already ate …,] were full". Positions index the
sentence's tokens, which is also the step of every task's input.
"""

from __future__ import annotations

import numpy as np

REGIONS = ("subject", "span", "elsewhere")


def region_masks(examples, shape: tuple[int, int], valid: np.ndarray) -> dict[str, np.ndarray]:
    """{region: (batch, time) bool} over the unpadded steps ``valid``."""
    positions = np.arange(shape[1])[None, :]
    subject = np.array([e["subject_index"] for e in examples])[:, None]
    verb = np.array([e["verb_index"] for e in examples])[:, None]
    masks = {
        "subject": positions == subject,
        "span": (positions > subject) & (positions < verb),
    }
    masks["elsewhere"] = ~(masks["subject"] | masks["span"])
    return {name: mask & valid for name, mask in masks.items()}
