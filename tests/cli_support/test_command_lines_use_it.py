"""Every command line reads its flags and writes its files through cli_support: none builds
an argparse parser of its own or writes a file without the shared layer, so that one-line
errors and whole-or-nothing files stay one implementation, not copies that drift apart."""

import ast
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
# The packages with command lines, and the notebooks' executor.
COMMAND_LINE_CODE = ("train", "evaluate", "benchmarks", "datasets", "notebooks/execute.py")

# Writes that cannot go through cli_support, by file and by what is called, each for its
# reason. An entry no longer needed fails the test too, so that the list stays short.
ALLOWED = {
    # A lock is held on the file's inode (flock): it is opened in place, never replaced,
    # and checked (O_NOFOLLOW, one name, a process id) before anything is written to it.
    ("train/run_directory.py", "os.open"),
    # Sets an unreadable checkpoint aside under another name: renames, writes nothing.
    ("train/checkpoints.py", ".replace"),
    # TensorBoard's event files are appended to while training runs and read by TensorBoard
    # as they grow: tf.summary and Keras's TensorBoard callback write them in place.
    ("train/hparams.py", "create_file_writer"),
    ("train/dashboards.py", "create_file_writer"),
    ("train/run.py", "TensorBoard"),
}

RENAMES = {"os.replace", "os.rename", "os.renames", "shutil.move"}
COPIES = {"shutil.copy", "shutil.copy2", "shutil.copyfile", "shutil.copytree"}
TEMPORARIES = {
    f"tempfile.{name}"
    for name in ("mkstemp", "mkdtemp", "NamedTemporaryFile", "TemporaryFile",
                 "SpooledTemporaryFile", "TemporaryDirectory")
}  # fmt: skip
OPENS = {"open", "io.open", "os.fdopen", ".open"}
WRITING_FLAGS = {"O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC", "O_APPEND"}
TENSORBOARD_WRITERS = {"create_file_writer", "TensorBoard"}


# Modules whose functions are called by their dotted name (cli_support.atomic_files is
# imported whole, as atomic_files: its write_text is the shared layer, not Path.write_text).
MODULES = {"os", "io", "shutil", "tempfile", "argparse", "dataclasses", "atomic_files"}


def dotted_name(node: ast.AST) -> str:
    """``os.replace`` for a function of a module; ``.replace`` for a method of any value."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        if isinstance(node.value, ast.Name) and node.value.id in MODULES:
            return f"{node.value.id}.{node.attr}"
        return f".{node.attr}"
    return ""


def writing_mode(call: ast.Call, name: str) -> bool:
    """Whether an ``open`` call's mode (a constant) writes, appends or creates."""
    position = 0 if name == ".open" else 1  # Path.open(mode) and open(file, mode)
    modes = [keyword.value for keyword in call.keywords if keyword.arg == "mode"]
    modes += call.args[position : position + 1]
    return any(
        isinstance(mode, ast.Constant)
        and isinstance(mode.value, str)
        and set("wax+") & set(mode.value)
        for mode in modes
    )


def own_parsers_and_writes(source: str) -> list[tuple[int, str, str]]:
    """(line, what is called, why it is a second copy) of each argparse parser a module
    builds and each file it writes by itself."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ClassDef):
            for base in node.bases:
                if dotted_name(base).endswith("ArgumentParser"):
                    found.append((node.lineno, "ArgumentParser", "subclasses ArgumentParser"))
        if not isinstance(node, ast.Call):
            continue
        name = dotted_name(node.func)
        short = name.rsplit(".", 1)[-1]
        positional = len(node.args) == 1 and not node.keywords
        if short == "ArgumentParser":
            why = "builds an argparse parser"
        elif name in RENAMES or (name in (".replace", ".rename") and positional):
            why = "renames a file (str.replace takes two arguments, Path.replace one)"
        elif name in (".write_text", ".write_bytes") or name in COPIES:
            why = "writes a file"
        elif name in TEMPORARIES:
            why = "makes a temporary file"
        elif name in OPENS and writing_mode(node, name):
            why = "opens a file for writing"
        elif name == "os.open" and WRITING_FLAGS & {
            inner.attr for inner in ast.walk(node) if isinstance(inner, ast.Attribute)
        }:
            why = "opens a file for writing"
        elif short in TENSORBOARD_WRITERS:
            why = "writes TensorBoard's event files"
        else:
            continue
        found.append((node.lineno, short if short in TENSORBOARD_WRITERS else name, why))
    return found


def command_line_modules() -> list[Path]:
    paths = [REPO_ROOT / part for part in COMMAND_LINE_CODE]
    return sorted(
        file for path in paths for file in ([path] if path.is_file() else path.rglob("*.py"))
    )


def test_no_command_line_builds_its_own_parser_or_writes_a_file_by_itself():
    found = {
        (str(path.relative_to(REPO_ROOT)), what, line, why)
        for path in command_line_modules()
        for line, what, why in own_parsers_and_writes(path.read_text())
    }
    wrong = sorted(f"{path}:{line} {why} ({what})" for path, what, line, why in found
                   if (path, what) not in ALLOWED)  # fmt: skip
    assert wrong == []
    unused = ALLOWED - {(path, what) for path, what, _, _ in found}
    assert unused == set(), "an allowed exception no longer found: drop it from ALLOWED"


@pytest.mark.parametrize(
    ("source", "what"),
    [
        ("class Parser(argparse.ArgumentParser): pass", "ArgumentParser"),
        ("parser = argparse.ArgumentParser(prog='x')", "argparse.ArgumentParser"),
        ("os.replace(partial, path)", "os.replace"),
        ("os.rename(staging, out_dir)", "os.rename"),
        ("path.replace(path.with_name('old'))", ".replace"),
        ("Path(name).write_text(text)", ".write_text"),
        ("path.write_bytes(data)", ".write_bytes"),
        ("handle, name = tempfile.mkstemp(dir=here)", "tempfile.mkstemp"),
        ("tempfile.NamedTemporaryFile('w')", "tempfile.NamedTemporaryFile"),
        ("open(path, 'w', encoding='utf-8')", "open"),
        ("open(path, mode='ab')", "open"),
        ("os.fdopen(handle, 'w')", "os.fdopen"),
        ("path.open('w')", ".open"),
        ("os.open(path, os.O_WRONLY | os.O_CREAT)", "os.open"),
        ("tf.summary.create_file_writer(log_dir)", "create_file_writer"),
    ],
)
def test_each_way_of_parsing_or_writing_is_found(source, what):
    assert [found for _, found, _ in own_parsers_and_writes(source)] == [what]


@pytest.mark.parametrize(
    "source",
    [
        "text.replace('a', 'b')",
        "dataclasses.replace(config, units=4)",
        "config.replace(seed=1)",
        "open(path)",
        "open(path, 'rb')",
        "path.open(encoding='utf-8')",
        "os.open(os.devnull, os.O_RDONLY)",
        "parser.add_argument('--out')",
    ],
)
def test_reading_and_other_replacements_are_not_writes(source):
    assert own_parsers_and_writes(source) == []
