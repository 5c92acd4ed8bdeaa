"""What every command line of the project shares, so that each job has one owner.

- :mod:`cli_support.parsing`: the one-line-error parser and its argument types;
- :mod:`cli_support.errors`: the exit statuses and the boundary that turns what a user
  can cause into one line on stderr;
- :mod:`cli_support.atomic_files` and :mod:`cli_support.output_directories`: files and
  directories written whole or not at all; :mod:`cli_support.csv_rows`: their CSV text;
- :mod:`cli_support.quiet_tensorflow`: TensorFlow imported without its C++ start-up
  lines; :mod:`cli_support.standard_streams`: output that survives its reader leaving.

It imports nothing of the project, so that ``datasets``, ``train``, ``evaluate`` and
``benchmarks`` may all use it (``zoo``, layers without a command line, does not), and
not TensorFlow when it is imported, so that ``--help`` and a bad flag answer at once. This file imports none of its modules: each is imported
by name where it is used.
"""
