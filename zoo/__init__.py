"""gatezoo's model zoo: the GRU family as taught, as reusable Keras 3 layers.

`zoo` owns the recurrent cells and sequence layers (GRU, simplified GRU, their
ablations, minGRU; `zoo.GRU` and `zoo.SimplifiedGRU` take `keras.layers.GRU`'s
arguments, see `zoo.drop_in`), their gate-by-gate tracing, a step-through loop for any
recurrent layer that reads, edits and differentiates its states, conversion from Keras's and
PyTorch's GRUs, and a name → layer registry. It imports only `keras` and
`numpy`, so it runs on every Keras backend.

Each layer registers itself where it is defined; importing the modules below is what
registers them all.
"""

from zoo import baselines  # noqa: F401  (registers Keras's own layers as baselines)
from zoo.ablations import NoUpdateGateGRU, NoUpdateGateGRUCell
from zoo.gru import GRU, GRUCell
from zoo.interop import from_keras_gru, from_torch_gru
from zoo.min_gru import MinGRU, MinGRUCell
from zoo.registry import build, names, register
from zoo.simplified_gru import SimplifiedGRU, SimplifiedGRUCell
from zoo.stepping import state_gradients, step_through
from zoo.tracing import trace

__all__ = [
    "GRU",
    "GRUCell",
    "MinGRU",
    "MinGRUCell",
    "NoUpdateGateGRU",
    "NoUpdateGateGRUCell",
    "SimplifiedGRU",
    "SimplifiedGRUCell",
    "build",
    "from_keras_gru",
    "from_torch_gru",
    "names",
    "register",
    "state_gradients",
    "step_through",
    "trace",
]
