"""TensorBoard tag names, defined once for the logger, the dashboard layout and the tests.

Tags follow ``<area>/<layer>/<quantity>/<stat>``, lowercase. Keras's own
``epoch_*`` tags are left as Keras writes them.
"""

GATES_AREA = "gates"
HEATMAPS_AREA = "heatmaps"
GRADIENTS_AREA = "gradients"

# The subdirectory of a run's logs/ that the gate dashboards write to.
GATES_LOG_DIR = "gates"


def gate_histogram(layer: str, gate: str) -> str:
    return f"{GATES_AREA}/{layer}/{gate}/values"


def gate_mean(layer: str, gate: str) -> str:
    return f"{GATES_AREA}/{layer}/{gate}/mean"


def gate_saturated(layer: str, gate: str) -> str:
    return f"{GATES_AREA}/{layer}/{gate}/saturated"


def heatmap(layer: str, quantity: str) -> str:
    return f"{HEATMAPS_AREA}/{layer}/{quantity}/probe"


def gradient_by_distance(layer: str) -> str:
    return f"{GRADIENTS_AREA}/{layer}/state_gradient_norm/by_distance_to_verb"
