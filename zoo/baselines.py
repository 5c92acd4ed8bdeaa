"""Keras's own recurrent layers, registered beside the zoo's as baselines.

They are defined in Keras, so their registry entries are made here, where the zoo
takes them in. `keras_gru` keeps Keras's default `reset_after=True`; the zoo's
`gru_reset_after` is the course's GRU with that placement.
"""

import keras

from zoo.registry import register

register("lstm", keras.layers.LSTM)
register("simple_rnn", keras.layers.SimpleRNN)
register("keras_gru", keras.layers.GRU)
