"""The speed benchmark of the zoo's sequence layers: ``python -m benchmarks.speed``.

`rows` (what is measured, and the reference each zoo row must equal), `settings`
(the grid and the flags), `timing` (one point: the correctness gate, compiling,
interleaved timing, peak memory), `measure` (every point, and what follows from
the times), `report` (the CSV columns, tables and figure), `__main__` (the command).
"""
