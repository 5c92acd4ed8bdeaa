"""The gate dashboards show a gated layer inside `keras.layers.Bidirectional` too."""

import keras
import numpy as np
import tensorflow as tf

import zoo
from train import tags
from train.dashboards import GateDashboard, ProbeBatch


def written_tags(log_dir) -> set[str]:
    names = set()
    for path in log_dir.rglob("events.out.tfevents.*"):
        for event in tf.compat.v1.train.summary_iterator(str(path)):
            names.update(value.tag for value in event.summary.value)
    return names


def test_gates_of_both_directions_are_written(tmp_path):
    tokens = keras.Input((None,), dtype="int32")
    hidden = keras.layers.Embedding(12, 4, mask_zero=True)(tokens)
    hidden = keras.layers.Bidirectional(zoo.GRU(3), name="both")(hidden)
    model = keras.Model(tokens, keras.layers.Dense(2, name="logits")(hidden))
    ids = np.array([[2, 3, 4, 5], [6, 7, 0, 0]], np.int32)
    probe = ProbeBatch(
        token_ids=ids,
        words=(("a", "b", "c", "d"), ("e", "f")),
        verb_index=np.array([4, 2]),
        labels=np.array([0, 1]),
    )
    dashboard = GateDashboard(str(tmp_path), probe)
    dashboard.set_model(model)
    dashboard.write(step=0)
    written = written_tags(tmp_path)
    traced = zoo.trace(model, ids)
    assert len(traced) == 2  # forward and backward
    for layer_name in traced:
        assert tags.gate_mean(layer_name, "update") in written
        assert tags.heatmap(layer_name, "update") in written
