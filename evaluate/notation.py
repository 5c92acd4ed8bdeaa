"""The course's notation for what the cells compute, used in every printout and plot."""

GATE_SYMBOLS = {"update": "Γu", "reset": "Γr", "candidate": "c̃", "state": "c"}
SATURATION_MARGIN = 0.05  # within this of 0 or 1, a gate counts as closed or open
