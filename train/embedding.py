"""`WordAndSuffixEmbedding`: a word's vector from its id and from its last characters.

    e(w) = E_word[id(w)] + Σ_n E_suffix[h_n(w)]        (h_n: the hashed last n characters)

An open vocabulary's input (`datasets.agreement.Vocabulary` with `SuffixFeatures`) gives
each token its word id and the ids of its suffixes. A word outside the vocabulary has word
id 1 (`<unk>`) but keeps its suffixes, so "athletes" reads as plural even if it was never
generated. Word dropout (in training, a known word's id is replaced by `<unk>` with
probability `word_dropout`) makes the model learn to read number from the suffixes alone,
as it must for words it never saw (Bojanowski et al. 2017 sum n-gram vectors in the same
way; word dropout to an unknown token is as in Kiperwasser and Goldberg 2016). Words whose
ending belies their number ("physics", "series", "police": `kept_ids`) are never dropped:
they are few and frequent, so a reader always knows them, and dropping them would teach it
that an unknown word in "-s" may be singular.
"""

from __future__ import annotations

import keras
from keras import ops

UNK_ID = 1  # datasets.agreement.vocabulary.UNK_ID; train may not make zoo depend on datasets


@keras.saving.register_keras_serializable(package="train")
class WordAndSuffixEmbedding(keras.layers.Layer):
    """Embeds [batch, time, 1 + n_suffixes] ids to [batch, time, output_dim].

    Args:
        vocab_size: Word ids are in [0, vocab_size); 0 is padding (masked), 1 unknown.
        suffix_buckets: Suffix ids are in [0, suffix_buckets); 0 is "no suffix".
        output_dim: Size of the embedding.
        word_dropout: In training, the probability that a word id is read as unknown.
        kept_ids: Word ids never dropped (the vocabulary's ``suffix_exceptions``).
        seed: Seed of the word dropout.
    """

    def __init__(
        self,
        vocab_size: int,
        suffix_buckets: int,
        output_dim: int,
        word_dropout: float = 0.0,
        kept_ids: tuple[int, ...] = (),
        seed: int | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if not 0.0 <= word_dropout < 1.0:
            raise ValueError(
                f"Received an invalid value for argument `word_dropout`, expected a "
                f"probability in [0, 1), got {word_dropout}"
            )
        self.vocab_size = vocab_size
        self.suffix_buckets = suffix_buckets
        self.output_dim = output_dim
        self.word_dropout = word_dropout
        self.kept_ids = tuple(int(i) for i in kept_ids)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.supports_masking = True

    def build(self, input_shape):
        self.words = self.add_weight(
            shape=(self.vocab_size, self.output_dim),
            initializer=keras.initializers.RandomUniform(-0.05, 0.05, seed=self.seed),
            name="words",
        )
        self.suffixes = self.add_weight(
            shape=(self.suffix_buckets, self.output_dim),
            initializer=keras.initializers.RandomUniform(-0.05, 0.05, seed=self.seed),
            name="suffixes",
        )
        # The ids word dropout may replace: neither <pad> (0) nor <unk> (1), nor kept_ids.
        droppable = [index > UNK_ID for index in range(self.vocab_size)]
        for index in self.kept_ids:
            droppable[index] = False
        self.droppable = ops.convert_to_tensor(droppable)

    def call(self, inputs, training=False):
        word_ids = inputs[..., 0]
        if training and self.word_dropout > 0:
            drop = keras.random.uniform(ops.shape(word_ids), seed=self.seed_generator)
            dropped = ops.logical_and(drop < self.word_dropout, ops.take(self.droppable, word_ids))
            word_ids = ops.where(dropped, UNK_ID, word_ids)
        suffix_ids = inputs[..., 1:]
        present = ops.expand_dims(ops.cast(suffix_ids > 0, self.compute_dtype), -1)
        suffix_vectors = ops.sum(ops.take(self.suffixes, suffix_ids, axis=0) * present, axis=-2)
        return ops.take(self.words, word_ids, axis=0) + suffix_vectors

    def compute_mask(self, inputs, mask=None):
        return ops.not_equal(inputs[..., 0], 0)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.output_dim)

    def get_config(self):
        return {
            **super().get_config(),
            "vocab_size": self.vocab_size,
            "suffix_buckets": self.suffix_buckets,
            "output_dim": self.output_dim,
            "word_dropout": self.word_dropout,
            "kept_ids": list(self.kept_ids),
            "seed": self.seed,
        }
