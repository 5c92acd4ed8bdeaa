"""The README's Python quick start runs as written, on every backend the zoo supports, and
does what its text says: the model learns the task and the trace has the promised shape."""

import contextlib
import io
import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def quick_start_code() -> str:
    text = README.read_text()
    section = text.split("## Quick start in Python", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_the_readme_quick_start_runs_and_learns_its_task():
    namespace = {}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(quick_start_code(), str(README), "exec"), namespace)
    model, x, y = namespace["model"], namespace["x"], namespace["y"]
    _loss, accuracy = model.evaluate(x, y, verbose=0)
    assert accuracy > 0.95
    lines = printed.getvalue().splitlines()
    assert lines[0] == "(64, 12, 8)"
    assert re.fullmatch(r"unit \d keeps its memory: mean Γu 0\.\d\d over steps 1-11", lines[1])
