"""gatezoo's data: generators of the benchmark's sentences, packaged as TensorFlow Datasets.

``datasets.agreement`` owns the subject-verb agreement generator ("the cats , which
already ate the fish , were full"), its lexicon, configurations, disjoint splits,
vocabulary, input pipelines for the number, lm and grammaticality tasks, and its TFDS
builder. It knows nothing of ``zoo``, ``train`` or ``evaluate``.
"""
