"""Measurements of the zoo's layers themselves, that read no run directory.

``python -m benchmarks.speed``: training and forward speed of the zoo's sequence
layers against Keras's and PyTorch's GRUs, each zoo layer first checked against
the NumPy reference of the course's equations (`zoo.numpy_reference`). Uses only
``zoo`` of this project (never ``train``, ``datasets`` or ``evaluate``).
"""
