"""What a run directory holds, named once: ``train`` writes by these names, ``evaluate``
reads by them, and neither spells one out anywhere else.

A run directory (``python -m train --run-dir RUN``) holds:

- :data:`CONFIG_FILE`: the resolved :class:`train.config.TrainConfig`, which also says
  which data the run saw (:func:`dataset_config`) and with which seed;
- :data:`VOCAB_FILE`: the vocabulary the model's inputs were encoded with;
- :data:`MODEL_FILE`: the trained Keras model, whose layers are named as below;
- :data:`METRICS_FILE`: the scores on the evaluation splits, written last, so a run
  without it did not finish;
- :data:`CHECKPOINTS_DIR` (per-epoch checkpoints for ``--resume``) and :data:`LOGS_DIR`
  (TensorBoard event files).

A sweep's experiment directory holds :data:`EXPERIMENT_FILE` and one run directory per
(model, seed).

The model is Embedding → recurrent layers → Dense head, named :data:`EMBEDDING_LAYER`,
``rnn_0``, ``rnn_1``, … (:func:`recurrent_layer_name`) and :data:`LOGITS_LAYER`, so
analyses can rerun it piece by piece. The evaluation splits have :data:`EVAL_SIZES`
sentences, regenerated exactly from the config and seed, so an analysis scores the
very sentences that the metrics file counts.
"""

from __future__ import annotations

from datasets import agreement

CONFIG_FILE = "config.json"
VOCAB_FILE = "vocab.json"
MODEL_FILE = "model.keras"
METRICS_FILE = "metrics.json"
CHECKPOINTS_DIR = "checkpoints"
LOGS_DIR = "logs"
EXPERIMENT_FILE = "experiment.json"

EMBEDDING_LAYER = "embedding"
LOGITS_LAYER = "logits"
_RECURRENT_LAYER_PREFIX = "rnn_"

# Sentences scored per evaluation split. The attractor split is sized by its
# configuration instead (whole cycles of 0..k attractors), see evaluate.runs.
EVAL_SIZES = {"validation": 1000, "test": 4000, "test_long": 2000}


def recurrent_layer_name(index: int) -> str:
    """The name of the model's ``index``-th recurrent layer, counting from the embedding."""
    return f"{_RECURRENT_LAYER_PREFIX}{index}"


def recurrent_layers(model) -> list:
    """The model's recurrent layers in order (rnn_0, rnn_1, …)."""
    names = {layer.name for layer in model.layers}
    layers, index = [], 0
    while recurrent_layer_name(index) in names:
        layers.append(model.get_layer(recurrent_layer_name(index)))
        index += 1
    return layers


def embedding_layer(model):
    return model.get_layer(EMBEDDING_LAYER)


def logits_layer(model):
    return model.get_layer(LOGITS_LAYER)


def asks_every_verb(config) -> bool:
    """Whether a run of ``config`` is trained and scored at every agreeing verb: a
    ``number`` run on every-verb data (the english grammar), whose model outputs logits at
    every step; otherwise each sentence asks its controlled verb only."""
    return config.task == agreement.NUMBER and dataset_config(config).every_verb


def dataset_config(config) -> agreement.AgreementConfig:
    """The data a run of ``config`` (a ``TrainConfig``) trained and was scored on: the
    named dataset config, its training lengths capped by ``--max-train-length``.

    ``test_long`` keeps its span of lengths but starts above the training maximum.
    """
    data_config = agreement.CONFIGS[config.dataset_config]
    if config.max_train_length is None:
        return data_config
    shortest, _ = data_config.dependency_length
    if config.max_train_length < shortest:
        raise ValueError(
            f"--max-train-length: must be at least the dataset config's shortest dependency "
            f"length {shortest}, got {config.max_train_length}"
        )
    long_low, long_high = data_config.long_dependency_length
    long_low_new = max(long_low, config.max_train_length + 1)
    return data_config.replace(  # AgreementConfig.replace recomputes automatic fields
        dependency_length=(shortest, config.max_train_length),
        long_dependency_length=(long_low_new, long_low_new + long_high - long_low),
    )
