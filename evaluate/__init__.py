"""``python -m evaluate``: turns run directories into the benchmark's answers (work in progress)."""
