"""TensorFlow imported without its C++ start-up lines, unless the user asks for them.

Importing TensorFlow writes lines from C++ to the process's standard error (file
descriptor 2) before its logging reads ``TF_CPP_MIN_LOG_LEVEL``: absl's "All log
messages before absl::InitializeLog() ..." notice, oneDNN's note on round-off, "Could not
find cuda drivers" on a machine without a GPU. Later C++ messages (a failed ``cuInit``,
NodeDef attributes that an older runtime does not know) do obey the level.

So each command line calls :func:`import_tensorflow` once, after their flags are read:
when the user has not set ``TF_CPP_MIN_LOG_LEVEL``, it is set to 3 (fatal errors only)
and the import runs with descriptor 2 sent to a temporary file, from which every line
that is not one of TensorFlow's C++ log lines is copied back to standard error (a Python
warning raised during the import is kept). A user who sets ``TF_CPP_MIN_LOG_LEVEL``
(``=0`` shows everything) gets TensorFlow's output untouched.

Before that import, :func:`unsupported_backend` refuses a ``KERAS_BACKEND`` the command
lines do not run on, in one line rather than Keras's traceback.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
import tempfile

LEVEL_VARIABLE = "TF_CPP_MIN_LOG_LEVEL"
BACKEND_VARIABLE = "KERAS_BACKEND"
# The Keras backends the project's command lines run on: the data pipeline is tf.data and
# the zoo's step-through engine supports TensorFlow and JAX (torch fails in it mid-run).
SUPPORTED_BACKENDS = ("tensorflow", "jax")
FATAL_ONLY = "3"

# absl's C++ log line: severity letter, MMDD, time (seconds since the epoch before absl is
# initialised, so not two digits), thread id, file:line] message.
_CPP_LOG_LINE = re.compile(r"^[IWEF]\d{4} \d\d:\d\d:\d+\.\d+\s+\d+ [^\s\]]+:\d+\] ")
_CPP_NOTICES = (
    "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR",
    # The second line of cpu_feature_guard's message about instructions it was not built for.
    "To enable the following instructions:",
)


def unsupported_backend() -> str | None:
    """A one-line reason when ``KERAS_BACKEND`` names a backend the command lines do not
    run on (Keras itself answers a misspelt one with a traceback at import), else None."""
    chosen = os.environ.get(BACKEND_VARIABLE)
    if chosen is None or chosen in SUPPORTED_BACKENDS:
        return None
    return (
        f"{BACKEND_VARIABLE}: expected one of {', '.join(SUPPORTED_BACKENDS)} (or unset), "
        f"got {chosen!r}"
    )


def is_tensorflow_log_line(line: str) -> bool:
    return bool(_CPP_LOG_LINE.match(line)) or line.startswith(_CPP_NOTICES)


_level_set_here = False  # whether this process, not its user, set LEVEL_VARIABLE


def user_environment() -> dict[str, str]:
    """The environment as the user gave it, for a child process (a sweep's runs): without
    the level this module set, which the child would take for the user's choice and then
    print TensorFlow's start-up lines unfiltered."""
    environment = dict(os.environ)
    if _level_set_here:
        environment.pop(LEVEL_VARIABLE, None)
    return environment


def import_tensorflow() -> None:
    """Imports TensorFlow (if installed) with its start-up lines filtered out, as above."""
    global _level_set_here
    if "tensorflow" in sys.modules or importlib.util.find_spec("tensorflow") is None:
        return
    if LEVEL_VARIABLE in os.environ:
        import tensorflow  # noqa: F401  (the user chose the level: nothing is filtered)

        return
    os.environ[LEVEL_VARIABLE] = FATAL_ONLY
    _level_set_here = True
    sys.stderr.flush()
    saved_stderr = os.dup(2)
    with tempfile.TemporaryFile() as captured:
        os.dup2(captured.fileno(), 2)
        try:
            import tensorflow  # noqa: F401
        finally:
            sys.stderr.flush()
            os.dup2(saved_stderr, 2)
            os.close(saved_stderr)
            captured.seek(0)
            lines = captured.read().decode("utf-8", errors="replace").splitlines(keepends=True)
            sys.stderr.write("".join(line for line in lines if not is_tensorflow_log_line(line)))
            sys.stderr.flush()
