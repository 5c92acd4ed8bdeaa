"""``python -m evaluate``: turns run directories into the benchmark's answers.

Owns the comparison report (accuracy by dependency length, attractors and construction,
with confidence intervals, across models and seeds), scoring on external minimal pairs,
and the analyses that show how gates remember (gates, units, gradients, trace, quiz).
Uses ``zoo``, ``datasets`` and ``train``; nothing depends on it.
"""
