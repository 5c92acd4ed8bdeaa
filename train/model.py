"""The benchmark's model: Embedding → stacked zoo recurrent layers → Dense head.

The head depends on the task: ``number`` and ``grammaticality`` read the last
state and output two logits; ``lm`` keeps every state and outputs next-word
logits over the vocabulary. A ``number`` model of every-verb data (the english
grammar, :attr:`AgreementConfig.every_verb`) outputs its two logits at every step: at
step t, the number of the subject of a verb that would come next. It is trained only at
the steps right before agreeing verbs (sample weights), all of a sentence's verbs in one
pass, and for a prefix its answer is the logits at the prefix's last word
(:func:`train.scoring.last_word_logits`).
"""

from __future__ import annotations

import contextlib
import math
import warnings

import keras

import zoo
from datasets.agreement import LM
from train.config import TrainConfig
from train.embedding import WordAndSuffixEmbedding
from train.run_contract import (
    EMBEDDING_LAYER,
    LOGITS_LAYER,
    asks_every_verb,
    recurrent_layer_name,
)


def learning_rate(config: TrainConfig, steps_per_epoch: int | None = None):
    """Adam's step size: ``config.learning_rate``, or a cosine decay from it to 0 over the
    run's ``config.epochs * steps_per_epoch`` steps (by default, as many steps as
    ``config.train_size`` sentences make). The schedule is saved with the optimizer and
    reads the optimizer's step count, so a resumed run goes on where it stopped."""
    if config.learning_rate_schedule == "constant":
        return config.learning_rate
    steps = steps_per_epoch or math.ceil(config.train_size / config.batch_size)
    return keras.optimizers.schedules.CosineDecay(
        config.learning_rate, decay_steps=config.epochs * steps
    )


def build_model(
    config: TrainConfig,
    vocab_size: int,
    suffixes=None,
    steps_per_epoch: int | None = None,
    kept_ids: tuple[int, ...] = (),
) -> keras.Model:
    """Builds and compiles the model that ``config`` describes (uncompiled weights are seeded).

    With ``suffixes`` (an open vocabulary's ``SuffixFeatures``) the input is
    [batch, time, 1 + len(suffixes.lengths)] and each word is embedded from its id and its
    suffixes (:class:`train.embedding.WordAndSuffixEmbedding`), whose word dropout spares
    ``kept_ids``; otherwise [batch, time] ids.
    """
    if suffixes is None:
        tokens = keras.Input(shape=(None,), dtype="int32", name="tokens")
        embedding = keras.layers.Embedding(
            vocab_size, config.embed_dim, mask_zero=True, name=EMBEDDING_LAYER
        )
    else:
        tokens = keras.Input(shape=(None, 1 + len(suffixes.lengths)), dtype="int32", name="tokens")
        embedding = WordAndSuffixEmbedding(
            vocab_size,
            suffixes.buckets,
            config.embed_dim,
            word_dropout=config.word_dropout,
            kept_ids=kept_ids,
            seed=config.seed,
            name=EMBEDDING_LAYER,
        )
    hidden = embedding(tokens)
    per_step = config.task == LM or asks_every_verb(config)
    for index in range(config.layers):
        keeps_sequence = per_step or index < config.layers - 1
        layer = zoo.build(
            config.model,
            units=config.units,
            return_sequences=keeps_sequence,
            name=recurrent_layer_name(index),
        )
        hidden = layer(hidden)
    n_outputs = vocab_size if config.task == LM else 2
    logits = keras.layers.Dense(n_outputs, name=LOGITS_LAYER)(hidden)
    model = keras.Model(tokens, logits, name=f"{config.model}_{config.task}")
    with keras_xla_guard_silenced():
        model.compile(
            optimizer=keras.optimizers.Adam(learning_rate(config, steps_per_epoch)),
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            # An every-verb model's accuracy counts its targets only (their sample weights).
            **({"weighted_metrics": ["accuracy"]} if per_step else {"metrics": ["accuracy"]}),
            jit_compile=config.jit,
        )
    use_xla(model, config.jit)
    return model


@contextlib.contextmanager
def keras_xla_guard_silenced():
    """Hides the warning Keras gives when it turns XLA off under op determinism
    (:func:`use_xla` turns it back on)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Model doesn't support `jit_compile=True`")
        yield


def use_xla(model: keras.Model, jit: bool) -> None:
    """Makes ``fit`` compile ``model``'s training step with XLA exactly when ``jit``.

    Keras's ``jit_compile`` setter turns XLA off for every model while TensorFlow's op
    determinism is enabled (a guard for GPU kernels that XLA cannot make
    deterministic), and a run enables it. XLA on CPU is deterministic (a resumed run
    ends bit-identical to an uninterrupted one, tested), so the value is written behind
    the setter; the zoo's layers and the benchmark's other layers all support XLA.
    """
    model._jit_compile = jit
