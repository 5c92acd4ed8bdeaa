"""The training loop for ``--strategy multiworker``, used in place of ``Model.fit``.

Keras 3.15's ``fit`` fails across two or more workers of a
``tf.distribute.MultiWorkerMirroredStrategy`` (keras-team/keras#20585: its symbolic
build all-reduces a data batch, then its metric reduction fails). This loop does what
``fit`` does for the benchmark's models, with public TensorFlow and Keras APIs:

- each epoch's batches (global batches, as for ``fit``) go through
  ``strategy.experimental_distribute_dataset``, which shards them across workers and
  splits each batch across the replicas;
- each step runs under ``strategy.run``: every replica computes the loss on its part
  of the batch and the gradients (XLA-compiled unless ``--no-jit``), and the
  optimizer all-reduces the gradients before applying them, so every worker holds
  the same weights after every step;
- the callbacks get the calls and the logs ``fit`` would give them (``loss``,
  ``accuracy``, ``val_loss``, ``val_accuracy``), so checkpoints, gate dashboards,
  TensorBoard and the NaN stop are the same code as on the ``fit`` path.

Validation runs on every worker over the whole validation set with the (identical)
weights, without collectives.
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

VALIDATION_BATCH = 256


def token_weights(tokens, targets):
    """What each target counts for in accuracy: every token that is not padding (``lm``),
    else one per sentence. The loss gets the same from the Embedding's mask."""
    if len(targets.shape) == 2:
        return tf.cast(tokens != 0, "float32")
    return tf.ones_like(targets, dtype="float32")


def batch_statistics(model, tokens, targets, training: bool):
    """(loss, number correct, number counted) on one batch; the loss is Keras's, scaled
    by Keras for the replicas when called under ``strategy.run``."""
    logits = model(tokens, training=training)
    loss = model.loss(targets, logits)
    weights = token_weights(tokens, targets)
    hits = tf.cast(tf.argmax(logits, axis=-1, output_type="int32") == targets, "float32")
    return loss, tf.reduce_sum(hits * weights), tf.reduce_sum(weights)


class WorkerLoop:
    """Trains a compiled Keras model under ``strategy`` with one all-reduce per step."""

    def __init__(self, model: keras.Model, strategy, jit: bool):
        self.model = model
        self.strategy = strategy
        with strategy.scope():
            if not model.optimizer.built:
                model.optimizer.build(model.trainable_variables)

        @tf.function(jit_compile=jit)
        def gradients(tokens, targets):
            with tf.GradientTape() as tape:
                loss, correct, counted = batch_statistics(model, tokens, targets, training=True)
            return loss, correct, counted, tape.gradient(loss, model.trainable_variables)

        def replica_step(tokens, targets):
            loss, correct, counted, grads = gradients(tokens, targets)
            model.optimizer.apply(grads, model.trainable_variables)
            return loss, correct, counted, tf.cast(tf.shape(targets)[0], "float32")

        @tf.function
        def train_step(batch):
            per_replica = strategy.run(replica_step, args=batch)
            return [strategy.reduce("sum", value, axis=None) for value in per_replica]

        @tf.function(jit_compile=jit)
        def validation_step(tokens, targets):
            return batch_statistics(model, tokens, targets, training=False)

        self.train_step = train_step
        self.validation_step = validation_step

    def fit(
        self,
        epoch_dataset,
        epochs: int,
        initial_epoch: int,
        steps_per_epoch: int,
        validation_data,
        callbacks,
        verbose: int,
    ) -> None:
        """Like ``Model.fit``; ``epoch_dataset(epoch)`` gives that epoch's batches."""
        model = self.model
        callback_list = keras.callbacks.CallbackList(
            list(callbacks),
            add_history=True,
            add_progbar=verbose != 0,
            model=model,
            verbose=verbose,
            epochs=epochs,
            steps=steps_per_epoch,
        )
        model.stop_training = False
        callback_list.on_train_begin()
        for epoch in range(initial_epoch, epochs):
            callback_list.on_epoch_begin(epoch)
            totals = np.zeros(4)  # loss × sentences, correct, counted, sentences
            batches = self.strategy.experimental_distribute_dataset(epoch_dataset(epoch))
            for step, batch in enumerate(batches):
                callback_list.on_train_batch_begin(step)
                loss, correct, counted, sentences = (float(v) for v in self.train_step(batch))
                totals += (loss * sentences, correct, counted, sentences)
                callback_list.on_train_batch_end(step, self.logs(totals))
                if model.stop_training:
                    break
            if model.stop_training:
                break
            logs = {**self.logs(totals), **self.validate(*validation_data)}
            callback_list.on_epoch_end(epoch, logs)
            if model.stop_training:
                break
        callback_list.on_train_end()

    @staticmethod
    def logs(totals: np.ndarray, prefix: str = "") -> dict[str, float]:
        loss_sum, correct, counted, sentences = totals
        return {
            f"{prefix}loss": loss_sum / max(sentences, 1),
            f"{prefix}accuracy": correct / max(counted, 1),
        }

    def validate(self, tokens: np.ndarray, targets: np.ndarray) -> dict[str, float]:
        totals = np.zeros(4)
        for start in range(0, len(tokens), VALIDATION_BATCH):
            part = slice(start, start + VALIDATION_BATCH)
            loss, correct, counted = self.validation_step(tokens[part], targets[part])
            sentences = len(tokens[part])
            totals += (float(loss) * sentences, float(correct), float(counted), sentences)
        return self.logs(totals, prefix="val_")
