"""``python -m train``: trains zoo cells on the agreement benchmark and writes run directories.

Owns the training configuration, the command line, the model head, per-sentence
scoring and the run directory layout. Uses ``zoo`` and ``datasets``.
"""
