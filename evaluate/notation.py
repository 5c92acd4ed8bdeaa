"""The course's notation for what the cells compute, used in every printout and plot."""

GATE_SYMBOLS = {"update": "Γu", "reset": "Γr", "candidate": "c̃", "state": "c"}
