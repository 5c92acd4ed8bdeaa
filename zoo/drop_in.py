"""What makes `zoo.GRU` and `zoo.SimplifiedGRU` drop-ins for `keras.layers.GRU`: their
cells' base class `DropInCell`, which takes `keras.layers.GRUCell`'s arguments with
Keras's meaning, and `REFUSED_ARGUMENTS`, the few arguments refused, each with its reason.

Taken as Keras takes them:
- `activation`, the candidate's (c̃⟨t⟩ = activation(…), tanh), and
  `recurrent_activation`, the gates' (Γ = recurrent_activation(…), sigmoid);
- `use_bias` and the kernel, recurrent and bias initializers;
- the kernel, recurrent and bias regularizers, whose penalties reach `model.losses`,
  and the layer's `activity_regularizer`, on its outputs;
- the kernel, recurrent and bias constraints, which the optimizer applies after each
  step (Keras does so for every weight created with one);
- `dropout`, `recurrent_dropout` and `seed` (below);
- `keras.layers.RNN`'s own: `return_sequences`, `return_state`, `go_backwards`,
  `stateful`, `unroll`, `zero_output_for_mask`, masks and `initial_state`.

Dropout follows Keras: in training only, one input mask (batch, features) and one
recurrent mask (batch, units) per call, each the same at every step (Gal and
Ghahramani, 2016); inference drops nothing and is deterministic. The input mask
multiplies x⟨t⟩ before W, so W x⟨t⟩ stays one product hoisted out of the loop; the
recurrent mask multiplies c⟨t−1⟩ where U reads it, and the state update reads c⟨t−1⟩
whole. Where `recurrent_dropout` is 0, Keras too draws one input mask for all gate
blocks. Where it is not, Keras 3 draws one input and one recurrent mask per gate block
(its `implementation=1`) where the zoo shares each across the blocks: the same rate and expected value, and the recurrent products stay
those of the layer without dropout. The masks are drawn by the zoo's sequence layers:
a zoo cell with dropout in `keras.layers.RNN`, which draws masks only for Keras's own
cells, refuses to train (it predicts as usual).

Reference: Gal and Ghahramani, "A Theoretically Grounded Application of Dropout in
Recurrent Neural Networks", NeurIPS 2016.
"""

import keras
from keras import ops

from zoo.arguments import check_rate, check_refused
from zoo.recurrence import GatedCell

# The arguments of `keras.layers.GRU` and `GRUCell` that the zoo refuses, and why.
# Each refusal is a one-line ValueError naming the argument.
REFUSED_ARGUMENTS = {
    "implementation": "it picks one of two Keras code paths for the same GRU; the zoo has one",
    "use_cudnn": (
        "True asks for cuDNN's kernel, and the zoo always runs its own loop (as Keras "
        "refuses True where cuDNN cannot run; 'auto' and False are accepted)"
    ),
}
# The simplified GRU refuses one more.
NO_RESET_GATE = {
    "reset_after": "the simplified GRU has no reset gate (Γr ≡ 1) to apply before or after U",
}
# What a DropInCell takes of `keras.layers.GRUCell`'s arguments: a sequence layer
# passes these on to its cell and the rest to `keras.layers.RNN` (`split_arguments`).
CELL_ARGUMENTS = (
    "activation",
    "recurrent_activation",
    "use_bias",
    "kernel_initializer",
    "recurrent_initializer",
    "bias_initializer",
    "kernel_regularizer",
    "recurrent_regularizer",
    "bias_regularizer",
    "kernel_constraint",
    "recurrent_constraint",
    "bias_constraint",
    "dropout",
    "recurrent_dropout",
    "seed",
)


def split_arguments(arguments, refused):
    """`(cell arguments, layer arguments)` of a sequence layer's keyword `arguments`,
    after refusing those that `refused` ({name: reason}) lists.

    `use_cudnn` is refused only when it asks for cuDNN: "auto" and False (which
    Keras documents as "use cuDNN where it can", and "never") both run the zoo's loop."""
    arguments = dict(arguments)
    if "use_cudnn" in arguments and arguments["use_cudnn"] in ("auto", False):
        del arguments["use_cudnn"]
    check_refused(arguments, refused)
    cell = {name: arguments.pop(name) for name in CELL_ARGUMENTS if name in arguments}
    return cell, arguments


class DropInCell(GatedCell):
    """Base of `zoo.GRUCell` and `zoo.SimplifiedGRUCell`: a `GatedCell` that takes
    `keras.layers.GRUCell`'s arguments, with Keras's meaning (see `zoo.drop_in`).

    A subclass's `recur` applies `activation` to the candidate and
    `recurrent_activation` to the gates, and a `recurrent_mask` (when given) to
    c⟨t−1⟩ where U reads it. Its hand-written backward (`zoo.fused_gradient`) is
    written for tanh and sigmoid: with other activations (`has_default_activations`
    false) the layer trains by autodiff of the plain loop instead, exact but slower.

    Dropout needs a zoo sequence layer (`zoo.GRU`, `zoo.SimplifiedGRU`), which draws
    the masks once per sequence: `keras.layers.RNN` draws them only for Keras's own
    cells, so there a cell with dropout refuses to train (it still predicts).

    Args:
        units: Positive integer, dimension of the memory cell c⟨t⟩.
        activation: Activation of the candidate c̃⟨t⟩. Defaults to `"tanh"`;
            `None` is linear.
        recurrent_activation: Activation of the gates Γu and Γr. Defaults to
            `"sigmoid"`; `None` is linear.
        use_bias: Whether the cell adds `bias`. Defaults to `True`.
        kernel_initializer: Initializer for `kernel`. Defaults to `"glorot_uniform"`.
        recurrent_initializer: Initializer for `recurrent_kernel`. Defaults to
            `"orthogonal"`.
        bias_initializer: Initializer for `bias`. Defaults to `"zeros"`.
        kernel_regularizer, recurrent_regularizer, bias_regularizer: Regularizers of
            `kernel`, `recurrent_kernel` and `bias`; their penalties are in the
            layer's (and model's) `losses`. Default `None`.
        kernel_constraint, recurrent_constraint, bias_constraint: Constraints the
            optimizer applies to `kernel`, `recurrent_kernel` and `bias` after each
            update. Default `None`.
        dropout: Fraction of x⟨t⟩'s features dropped in training, in [0, 1).
            Defaults to 0.
        recurrent_dropout: Fraction of c⟨t−1⟩'s units dropped where U reads them,
            in training, in [0, 1). Defaults to 0.
        seed: Integer seed of the dropout masks. Defaults to `None` (random).
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.
    """

    refused_arguments = REFUSED_ARGUMENTS

    def __init__(
        self,
        units,
        activation="tanh",
        recurrent_activation="sigmoid",
        use_bias=True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        kernel_regularizer=None,
        recurrent_regularizer=None,
        bias_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        seed=None,
        **kwargs,
    ):
        check_refused(kwargs, self.refused_arguments)
        super().__init__(
            units,
            kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer,
            **kwargs,
        )
        self.activation = keras.activations.get(activation)
        self.recurrent_activation = keras.activations.get(recurrent_activation)
        self.use_bias = bool(use_bias)
        self.kernel_regularizer = keras.regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = keras.regularizers.get(recurrent_regularizer)
        self.bias_regularizer = keras.regularizers.get(bias_regularizer)
        self.kernel_constraint = keras.constraints.get(kernel_constraint)
        self.recurrent_constraint = keras.constraints.get(recurrent_constraint)
        self.bias_constraint = keras.constraints.get(bias_constraint)
        self.dropout = check_rate("dropout", dropout)
        self.recurrent_dropout = check_rate("recurrent_dropout", recurrent_dropout)
        self.seed = seed
        if self.dropout or self.recurrent_dropout:
            # Only then: a layer without dropout keeps the variables it always had.
            self.seed_generator = keras.random.SeedGenerator(seed)

    @property
    def has_default_activations(self):
        """Whether the activations are tanh and sigmoid, those the hand-written backward
        is written for."""
        return (
            self.activation is keras.activations.tanh
            and self.recurrent_activation is keras.activations.sigmoid
        )

    def weight_options(self, prefix):
        return {
            "initializer": getattr(self, f"{prefix}_initializer"),
            "regularizer": getattr(self, f"{prefix}_regularizer"),
            "constraint": getattr(self, f"{prefix}_constraint"),
        }

    def dropout_masks(self, sequences, c0):
        """One input mask (batch, features) and one recurrent mask (batch, units) for a
        training call, as Keras draws them (dropout of ones: each entry 0 or
        1 / (1 − rate)); `None` for a rate of 0."""
        input_mask = recurrent_mask = None
        if self.dropout:
            ones = ops.ones_like(sequences[:, 0, :])
            input_mask = keras.random.dropout(ones, self.dropout, seed=self.seed_generator)
        if self.recurrent_dropout:
            ones = ops.ones_like(c0)
            recurrent_mask = keras.random.dropout(
                ones, self.recurrent_dropout, seed=self.seed_generator
            )
        return input_mask, recurrent_mask

    def call(self, inputs, states, training=False):
        for argument in ("dropout", "recurrent_dropout"):
            if training and getattr(self, argument):
                raise ValueError(
                    f"Received an invalid value for argument `{argument}` of a "
                    f"{type(self).__name__} trained step by step (in keras.layers.RNN), got "
                    f"{getattr(self, argument)}: keras.layers.RNN draws one mask per "
                    "sequence only for Keras's own cells; train it in zoo.GRU or "
                    "zoo.SimplifiedGRU instead."
                )
        return super().call(inputs, states, training)

    def get_config(self):
        serialize_regularizer = keras.regularizers.serialize
        serialize_constraint = keras.constraints.serialize
        config = {
            "activation": keras.activations.serialize(self.activation),
            "recurrent_activation": keras.activations.serialize(self.recurrent_activation),
            "use_bias": self.use_bias,
            "kernel_regularizer": serialize_regularizer(self.kernel_regularizer),
            "recurrent_regularizer": serialize_regularizer(self.recurrent_regularizer),
            "bias_regularizer": serialize_regularizer(self.bias_regularizer),
            "kernel_constraint": serialize_constraint(self.kernel_constraint),
            "recurrent_constraint": serialize_constraint(self.recurrent_constraint),
            "bias_constraint": serialize_constraint(self.bias_constraint),
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
            "seed": self.seed,
        }
        return {**super().get_config(), **config}
