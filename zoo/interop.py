"""Exact conversion from Keras's and PyTorch's GRUs to `zoo.GRU`.

The two conventions. The course (and `zoo`) writes

    c⟨t⟩ = Γu ⊙ c̃⟨t⟩ + (1 − Γu) ⊙ c⟨t−1⟩          (Γu = 1 takes the candidate)

while Keras and PyTorch write h = z ⊙ h_prev + (1 − z) ⊙ h̃ (z = 1 keeps the old
state), so Γu = 1 − z. Since σ(−v) = 1 − σ(v), Γu = σ(−(pre-activation of z)):
converting negates the z columns of the kernel, the recurrent kernel and the
biases, and leaves the reset and candidate blocks as they are.

Block orders: Keras [z | r | h] and zoo [update | reset | candidate] match;
PyTorch stores rows in the order [r | z | n] with separate input and hidden
biases, and its formula is `reset_after=True`.
"""

import keras
import numpy as np

from zoo.gru import GRU

# Gate activations with f(−v) = 1 − f(v): for these alone, negating the z
# pre-activation gives Γu = f(−a_z) = 1 − z exactly.
SYMMETRIC_GATE_ACTIVATIONS = ("sigmoid", "hard_sigmoid")
# Regularizers and constraints that read only magnitudes (|w|, w², norms, |WᵀW|), so
# they mean the same once the z columns are negated; `non_neg`, say, would not.
SIGN_BLIND_PENALTIES = (
    keras.regularizers.L1,
    keras.regularizers.L2,
    keras.regularizers.L1L2,
    keras.regularizers.OrthogonalRegularizer,
    keras.constraints.MaxNorm,
    keras.constraints.MinMaxNorm,
    keras.constraints.UnitNorm,
)


def _to_update_convention(blocks_last_axis, units):
    """Negates the first (z) block along the last axis: z → Γu = 1 − z."""
    converted = np.array(blocks_last_axis, dtype="float32")
    converted[..., :units] *= -1.0
    return converted


def _unconvertible(cell):
    """Why a `keras.layers.GRUCell` has no exact zoo counterpart, or `None`."""
    gate = getattr(cell.recurrent_activation, "__name__", repr(cell.recurrent_activation))
    if gate not in SYMMETRIC_GATE_ACTIVATIONS:
        return (
            f"a recurrent activation with f(−v) = 1 − f(v) {SYMMETRIC_GATE_ACTIVATIONS}, "
            f"got {gate!r}"
        )
    for weight in ("kernel", "recurrent", "bias"):
        for kind in ("regularizer", "constraint"):
            penalty = getattr(cell, f"{weight}_{kind}")
            if penalty is not None and not isinstance(penalty, SIGN_BLIND_PENALTIES):
                return (
                    f"a {weight}_{kind} blind to the weights' signs (norms, L1, L2), "
                    f"got {type(penalty).__name__}"
                )
    return None


def from_keras_gru(layer):
    """Returns a `zoo.GRU` computing exactly what a built `keras.layers.GRU` computes.

    The result has the Keras layer's arguments (activations, `use_bias`,
    `reset_after`, regularizers, constraints, dropout, `return_sequences`, …), but
    `stateful` and `use_cudnn`, and its weights converted from Keras's convention
    (z = 1 keeps the state) to the course's (Γu = 1 − z): the update-gate columns
    of `kernel`, `recurrent_kernel` and `bias` are negated. That is exact when
    σ(−v) = 1 − σ(v) for the gate activation (sigmoid, hard_sigmoid), and the
    regularizers and constraints ignore signs. Dropout draws its own masks.

    Args:
        layer: A built `keras.layers.GRU`.

    Returns:
        A built `zoo.GRU`.

    Raises:
        ValueError: The layer is not built, or has another gate activation or a
            sign-dependent regularizer or constraint (such as `non_neg`).

    Example:
    >>> keras_gru = keras.layers.GRU(4, dropout=0.2, kernel_regularizer="l2")
    >>> _ = keras_gru(np.ones((2, 5, 3), "float32"))
    >>> converted = from_keras_gru(keras_gru)
    >>> converted.reset_after, converted.cell.dropout
    (True, 0.2)
    """
    if not layer.built:
        raise ValueError(
            "Received an invalid value for argument `layer`, expected a built "
            f"keras.layers.GRU, got the unbuilt layer {layer.name!r}."
        )
    cell = layer.cell
    reason = _unconvertible(cell)
    if reason is not None:
        raise ValueError(
            f"Received an invalid value for argument `layer`, expected a GRU with {reason}."
        )
    units = cell.units
    config = layer.get_config()
    for key in ("name", "stateful", "use_cudnn"):
        config.pop(key, None)
    converted = GRU.from_config(config)
    converted.build((None, None, cell.kernel.shape[0]))
    converted.cell.kernel.assign(
        _to_update_convention(keras.ops.convert_to_numpy(cell.kernel), units)
    )
    converted.cell.recurrent_kernel.assign(
        _to_update_convention(keras.ops.convert_to_numpy(cell.recurrent_kernel), units)
    )
    if cell.use_bias:
        bias = keras.ops.convert_to_numpy(cell.bias)
        converted.cell.bias.assign(_to_update_convention(bias, units))
    return converted


def _torch_blocks_to_zoo(rows, units):
    """PyTorch rows [r | z | n] → zoo columns [update | reset | candidate], Γu = 1 − z."""
    reset, z, candidate = np.split(np.asarray(rows, dtype="float32"), 3, axis=0)
    return np.concatenate([-z, reset, candidate], axis=0).T


def from_torch_gru(module):
    """Returns a `zoo.GRU(reset_after=True)` computing exactly what a `torch.nn.GRU` does.

    PyTorch's formula is cuDNN's (`reset_after=True`); its rows are in the
    order [r | z | n] with separate input and hidden biases (`bias_ih_l0`,
    `bias_hh_l0`), and z = 1 keeps the state. The converted layer has
    columns [update | reset | candidate] with Γu = 1 − z (z weights negated),
    bias rows (input, recurrent), and returns the whole sequence, as the
    module does. It always takes batch-major input (batch, time, features):
    for a module with `batch_first=False`, transpose the input.

    Args:
        module: A single-layer, unidirectional `torch.nn.GRU` (torch is not
            imported here; only the module's weights are read).

    Returns:
        A built `zoo.GRU` with `reset_after=True, return_sequences=True`.

    Raises:
        ValueError: The module has `num_layers > 1` or is bidirectional.

    Example:
    >>> module = torch.nn.GRU(3, 4, batch_first=True)  # doctest: +SKIP
    >>> from_torch_gru(module).units  # doctest: +SKIP
    4
    """
    if module.num_layers != 1 or module.bidirectional:
        raise ValueError(
            "Received an invalid value for argument `module`, expected a single-"
            "layer unidirectional torch.nn.GRU, got num_layers="
            f"{module.num_layers}, bidirectional={module.bidirectional}."
        )
    units = module.hidden_size

    def read(name):
        return getattr(module, name).detach().cpu().numpy()

    if module.bias:
        bias_rows = [read("bias_ih_l0"), read("bias_hh_l0")]
    else:
        bias_rows = [np.zeros(3 * units), np.zeros(3 * units)]
    converted = GRU(units, reset_after=True, return_sequences=True)
    converted.build((None, None, module.input_size))
    converted.cell.kernel.assign(_torch_blocks_to_zoo(read("weight_ih_l0"), units))
    converted.cell.recurrent_kernel.assign(_torch_blocks_to_zoo(read("weight_hh_l0"), units))
    # Stacked as columns, the (input, hidden) biases come out as rows (2, 3·units).
    converted.cell.bias.assign(_torch_blocks_to_zoo(np.stack(bias_rows, axis=1), units))
    return converted
