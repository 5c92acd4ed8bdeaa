"""TensorBoard gate dashboards, written at each epoch end from a fixed probe batch.

Gates live inside the time loop, so they are read through ``zoo.trace`` on the
probe batch rather than summarised inside ``call()``. For each gated layer and
gate the callback writes a histogram, the mean and the saturated fraction
(values within ``zoo.tracing.SATURATION_MARGIN`` of 0 or 1), and heatmaps of Γu, Γr and the
state over probe sentences with their words on the time axis.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import keras
import numpy as np

import zoo
from datasets.agreement.vocabulary import word_ids
from train import tags
from train.gradient_norms import norms_by_distance, state_gradient_norms
from train.run_contract import recurrent_layer_name, recurrent_layers
from zoo.tracing import GATES, contains_gated_layer, saturation


@dataclass(frozen=True)
class ProbeBatch:
    """Sentences whose gates the dashboards show: padded ids, their words and verb positions."""

    token_ids: (
        np.ndarray
    )  # (batch, time) int32 or an open vocabulary's (batch, time, F); 0 = padding
    words: tuple[tuple[str, ...], ...]  # the real (unpadded) words of each sentence
    verb_index: np.ndarray  # (batch,) position of the agreeing verb in the full sentence
    labels: np.ndarray  # (batch,) the task's targets, for ‖∂loss/∂c⟨t⟩‖

    @property
    def mask(self) -> np.ndarray:
        return word_ids(self.token_ids) != 0


def gate_statistics(traced: dict, mask: np.ndarray) -> dict[tuple[str, str], dict[str, float]]:
    """Mean and saturated fraction of each gate of each layer, over unpadded positions."""
    statistics = {}
    for layer_name, quantities in traced.items():
        for gate in GATES:
            if gate not in quantities:
                continue
            values = quantities[gate][mask]
            fractions = saturation(values)
            statistics[(layer_name, gate)] = {
                "mean": float(values.mean()),
                "saturated": fractions["near_0"] + fractions["near_1"],
            }
    return statistics


def make_probe(
    examples, task: str, vocab, size: int = 8, min_dependency_length: int = 6
) -> ProbeBatch:
    """The first ``size`` examples whose subject and verb are at least ``min_dependency_length`` apart."""
    from datasets import agreement

    chosen = [e for e in examples if e["dependency_length"] >= min_dependency_length][
        :size
    ] or list(examples[:size])
    token_ids, labels = agreement.task_arrays(chosen, task, vocab)
    words = tuple(tuple(vocab.decode(vocab.word_ids(row))) for row in token_ids)
    verb_index = np.array([e["verb_index"] for e in chosen])
    return ProbeBatch(token_ids=token_ids, words=words, verb_index=verb_index, labels=labels)


def _figure(width: float, height: float):
    """A matplotlib figure that never touches pyplot's global state (safe inside notebooks)."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=90)


def _png(figure) -> bytes:
    """The figure as PNG bytes. Its margins are set where it is made, not by
    ``tight_layout``, which draws the whole figure once more to measure it: a run writes
    these figures at every epoch."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def gradient_plot_png(by_distance: dict[int, float], title: str) -> bytes:
    """‖∂loss/∂c⟨t⟩‖ (log scale) against the distance from t to the verb, as PNG bytes."""
    figure = _figure(5, 3.2)
    figure.subplots_adjust(left=0.18, right=0.97, bottom=0.15, top=0.9)
    axes = figure.subplots()
    distances = sorted(by_distance)
    axes.semilogy(distances, [by_distance[d] for d in distances], marker="o", markersize=3)
    axes.set_xlabel("distance from step t to the verb")
    axes.set_ylabel(r"$\|\partial\,\mathrm{loss} / \partial c_t\|$")
    axes.set_title(title, fontsize=9)
    return _png(figure)


def heatmap_png(values: np.ndarray, words, title: str) -> bytes:
    """A time × unit heatmap of one sentence, words on the time axis, as PNG bytes (its
    bottom margin set from the longest word)."""
    width, height = max(4.0, 0.32 * len(words) + 1.5), 3.2
    figure = _figure(width, height)
    # Inches: the rotated words below the axes (7 pt at 70°, under 0.05 in a character),
    # the title above, "unit" and its ticks on the left, the colour bar's ticks on the right.
    longest = max((len(word) for word in words), default=1)
    bottom = min(0.15 + 0.05 * longest, 0.6 * height)
    figure.subplots_adjust(
        left=0.6 / width, right=1 - 0.5 / width, bottom=bottom / height, top=1 - 0.3 / height
    )
    axes = figure.subplots()
    limits = (0.0, 1.0) if title.split()[0] in GATES else (-1.0, 1.0)
    image = axes.imshow(
        values.T,
        aspect="auto",
        cmap="viridis",
        vmin=limits[0],
        vmax=limits[1],
        interpolation="nearest",  # one cell per word and unit, not blended
    )
    axes.set_xticks(range(len(words)), words, rotation=70, fontsize=7)
    axes.yaxis.get_major_locator().set_params(integer=True)  # units, not 2.5
    axes.set_ylabel("unit")
    axes.set_title(title, fontsize=9)
    figure.colorbar(image, ax=axes, fraction=0.03)
    return _png(figure)


class GateDashboard(keras.callbacks.Callback):
    """Writes the gate histograms, scalars and heatmaps of ``probe`` at each epoch end."""

    def __init__(self, log_dir: str, probe: ProbeBatch, heatmap_sentences: int = 2):
        super().__init__()
        import tensorflow as tf

        self._tf = tf
        self.probe = probe
        self.heatmap_sentences = heatmap_sentences
        self.writer = tf.summary.create_file_writer(log_dir)

    def on_epoch_end(self, epoch, logs=None):
        self.write(step=epoch)

    def write(self, step: int):
        tf = self._tf
        gated = contains_gated_layer(self.model)  # also inside Bidirectional wrappers
        traced = zoo.trace(self.model, self.probe.token_ids) if gated else {}
        mask = self.probe.mask
        with self.writer.as_default(step=step):
            for (layer_name, gate), stats in gate_statistics(traced, mask).items():
                tf.summary.histogram(
                    tags.gate_histogram(layer_name, gate), traced[layer_name][gate][mask]
                )
                tf.summary.scalar(tags.gate_mean(layer_name, gate), stats["mean"])
                tf.summary.scalar(tags.gate_saturated(layer_name, gate), stats["saturated"])
            for layer_name, quantities in traced.items():
                for quantity in (*GATES, "state"):
                    if quantity in quantities:
                        tf.summary.image(
                            tags.heatmap(layer_name, quantity),
                            self._heatmaps(quantities[quantity], quantity),
                            max_outputs=self.heatmap_sentences,
                        )
            # One loss per sentence (number, grammaticality), through build_model's rnn_0.
            if self.probe.labels.ndim == 1 and recurrent_layers(self.model):
                self._write_gradient_plot()
        self.writer.flush()

    def _write_gradient_plot(self):
        norms = state_gradient_norms(self.model, self.probe.token_ids, self.probe.labels)
        by_distance = norms_by_distance(norms, self.probe.verb_index)
        png = gradient_plot_png(
            by_distance, f"{recurrent_layer_name(0)}: gradient reaching back from the verb"
        )
        self._tf.summary.image(
            tags.gradient_by_distance(recurrent_layer_name(0)),
            self._tf.image.decode_png(png, channels=4)[None],
        )

    def _heatmaps(self, values, quantity):
        tf = self._tf
        images = []
        for row in range(min(self.heatmap_sentences, len(self.probe.words))):
            words = self.probe.words[row]
            length = int(self.probe.mask[row].sum())
            png = heatmap_png(
                values[row, :length], words[:length], f"{quantity} — {' '.join(words[:3])} …"
            )
            images.append(tf.image.decode_png(png, channels=4))
        height = max(int(image.shape[0]) for image in images)
        width = max(int(image.shape[1]) for image in images)
        padded = [tf.image.pad_to_bounding_box(image, 0, 0, height, width) for image in images]
        return tf.stack(padded)
