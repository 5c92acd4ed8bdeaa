"""A gate explorer in the browser: type a sentence, watch Γu keep the number.

    python -m evaluate explore runs/gru-seed0
    python -m evaluate explore runs/gru-seed0 runs/simplified_gru-seed0 --port 8001

Starts a local web page (the address is printed) that reads any sentence typed into it
with each run named here: word by word, P(plural) of a verb at that word, heatmaps of
Γu, Γr, c̃ and c for the top number units or chosen ones, c⟨t⟩ of one unit as a line,
the runs side by side, and a unit clamped from a word on. The page's state is in its
address; each view downloads as PNG and CSV.

The numbers come from the Python API (:meth:`evaluate.trained_run.TrainedRun.read` and
``unit_ranking``); this module only serves the page (``explorer.html``), turns requests
into those calls and their answers into JSON. Each model is loaded once, at start.

Safe by default: it listens on 127.0.0.1 only unless ``--host`` says otherwise, and a
request names a run by its index or name among those given here; a path is refused.
"""

from __future__ import annotations

import ipaddress
import socket
import sys
import threading
import time
import traceback
from importlib import resources

from cli_support.errors import InputError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
# Longer text is refused before the model reads it: a page of heatmaps for thousands of
# words helps nobody, and each request should answer at once.
MAX_SENTENCE_CHARACTERS = 1000
PAGE = "explorer.html"


def add_arguments(parser) -> None:
    parser.add_argument(
        "run_dirs",
        nargs="+",
        metavar="RUN",
        help="trained runs (or a directory of runs) to explore; requests name them by "
        "index or name",
    )
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to listen on (default: {DEFAULT_HOST}, this machine only)",
    )
    parser.add_argument(
        "--port",
        type=_port,
        default=DEFAULT_PORT,
        help=f"port to listen on; 0 picks a free one (default: {DEFAULT_PORT})",
    )


def _port(text: str) -> int:
    import argparse

    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"expected a port number 0..65535, got {text!r}")
    return int(text)


def run(args) -> int:
    runs = open_runs(args.run_dirs, log=_say)
    sock = bind(args.host, args.port)
    server = _server(create_app(runs))
    _say(f"explorer: {address(sock)} (Ctrl-C stops it)")
    if not ipaddress.ip_address(sock.getsockname()[0]).is_loopback:
        _say(f"explorer: listening on {args.host}: anyone who can reach this machine can use it")
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # Ctrl-C is how this command is meant to end
        pass
    _say("explorer: stopped")
    return 0


def _say(line: str) -> None:
    print(line, flush=True)


def open_runs(paths, log=None) -> list:
    """The runs at ``paths`` (a directory of runs counts as its runs), each model loaded
    and its number units ranked now, so that every request answers at once."""
    from datasets.agreement import TASKS
    from evaluate.runs import find_runs
    from evaluate.trained_run import TrainedRun

    runs = [TrainedRun(found) for found in find_runs(paths)]
    for trained in runs:
        trained.require_task(TASKS, "explore")
        if log:
            log(f"explorer: loading {trained.path} ({trained.config.model}, {trained.task})")
        trained.unit_ranking()
    return runs


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host``:``port`` (0: a free port), IPv4 or IPv6 as ``host`` is."""
    family, kind, protocol, _, address_ = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, protocol)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address_)
        sock.listen(64)
    except OSError:
        sock.close()
        raise
    return sock


def address(sock: socket.socket) -> str:
    """The page's address on ``sock``."""
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def _server(app):
    import uvicorn

    # Requests are not logged: the address printed at start is what a user needs.
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    return uvicorn.Server(config)


class RunningExplorer:
    """An explorer serving in a thread of this process: ``url``, and ``stop()`` (also on
    leaving a ``with`` block)."""

    def __init__(self, server, sock, thread):
        self._server, self._sock, self._thread = server, sock, thread
        self.url = address(sock)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=30)
        self._sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stop()


def start(runs, host: str = DEFAULT_HOST, port: int = 0) -> RunningExplorer:
    """Serves the explorer for ``runs`` (:class:`evaluate.trained_run.TrainedRun` objects,
    as :func:`open_runs` gives them) in a background thread, from a notebook or a test."""
    sock = bind(host, port)
    server = _server(create_app(runs))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started and thread.is_alive():
        time.sleep(0.05)
    if not thread.is_alive():
        sock.close()
        raise RuntimeError("the explorer's server stopped while starting")
    return RunningExplorer(server, sock, thread)


class Explorer:
    """What the page asks, answered from the API: each method takes a request's query
    parameters (strings) and returns JSON-ready data, or raises ``InputError``."""

    def __init__(self, runs):
        self.runs = list(runs)
        self.names = _names(self.runs)
        # Keras models are not made to be called from several threads at once.
        self._lock = threading.Lock()

    def run_list(self) -> dict:
        from train.run_contract import recurrent_layers

        with self._lock:
            return {
                "runs": [
                    {
                        "index": index,
                        "name": name,
                        "model": trained.config.model,
                        "task": trained.task,
                        "layers": [layer.name for layer in recurrent_layers(trained.model)],
                        "units": trained.config.units,
                    }
                    for index, (name, trained) in enumerate(zip(self.names, self.runs, strict=True))
                ],
                "max_sentence_characters": MAX_SENTENCE_CHARACTERS,
            }

    def run_named(self, value: str | None):
        """The run a request names by index or name; a path is refused."""
        choices = ", ".join(f"{i} ({name})" for i, name in enumerate(self.names))
        if not value:
            raise InputError(f"run: expected a run's index or name; choose from {choices}")
        if "/" in value or "\\" in value or value in (".", "..") or value.startswith("~"):
            raise InputError(
                f"run: {value!r} looks like a path; the explorer reads only the runs given on "
                f"its command line, by index or name: {choices}"
            )
        if value.isdigit() and int(value) < len(self.runs):
            return self.names[int(value)], self.runs[int(value)]
        if value in self.names:
            return value, self.runs[self.names.index(value)]
        raise InputError(f"run: no run {value!r}; choose from {choices}")

    def units(self, query) -> dict:
        name, trained = self.run_named(query.get("run"))
        with self._lock:
            ranking = trained.unit_ranking(query.get("layer") or None)
        return {
            "run": name,
            "layer": ranking.layer,
            "examples": ranking.examples,
            "rows": ranking.rows(),
        }

    def read(self, query) -> dict:
        from evaluate.reading import Clamp

        name, trained = self.run_named(query.get("run"))
        sentence = query.get("sentence", "")
        if len(sentence) > MAX_SENTENCE_CHARACTERS:
            raise InputError(
                f"sentence: {len(sentence):,} characters is too long; the explorer reads "
                f"at most {MAX_SENTENCE_CHARACTERS:,} (a sentence or two)"
            )
        if not sentence.strip():
            raise InputError("sentence: empty; type a sentence")
        units = _integers(query.get("units"), "units")
        clamp = None
        if query.get("clamp_units"):  # "13,11" and "0.12,-0.3": the units and their values
            clamp = Clamp(
                units=tuple(_integers(query.get("clamp_units"), "clamp_units")),
                values=tuple(
                    _number(part, "clamp_values")
                    for part in query.get("clamp_values", "").split(",")
                ),
                start=_integer(query.get("clamp_start", "0"), "clamp_start"),
            )
        with self._lock:
            reading = trained.read(
                sentence, units or None, layer=query.get("layer") or None, clamp=clamp
            )
        return {**reading.to_json(), "run": name}


def _names(runs) -> list[str]:
    """Each run's directory name; where two share one, the parent's name too."""
    names = [trained.path.name for trained in runs]
    names = [
        f"{trained.path.parent.name}-{name}" if names.count(name) > 1 else name
        for name, trained in zip(names, runs, strict=True)
    ]
    return [f"{name}-{i}" if names.count(name) > 1 else name for i, name in enumerate(names)]


def _integers(text: str | None, argument: str) -> list[int]:
    if not text:
        return []
    return [_integer(part, argument) for part in text.split(",")]


def _integer(text: str | None, argument: str) -> int:
    if text is None or not text.strip().isdigit():
        raise InputError(f"{argument}: expected whole numbers from 0 up, got {text!r}")
    return int(text)


def _number(text: str | None, argument: str) -> float:
    try:
        return float(text)
    except (TypeError, ValueError):
        raise InputError(f"{argument}: expected a number, got {text!r}") from None


def create_app(runs):
    """The explorer as a Starlette application over ``runs`` (opened
    :class:`evaluate.trained_run.TrainedRun` objects)."""
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import HTMLResponse, JSONResponse
    from starlette.routing import Route

    explorer = Explorer(runs)
    page = resources.files("evaluate").joinpath(PAGE).read_text(encoding="utf-8")

    def answering(method):
        async def endpoint(request):
            query = dict(request.query_params)
            try:
                return JSONResponse(await run_in_threadpool(method, query))
            except InputError as error:  # the user's to fix: said on the page
                return JSONResponse({"error": str(error).replace("\n", " ")}, status_code=400)
            except Exception:  # a bug: its traceback goes to the server's log, not the page
                traceback.print_exc(file=sys.stderr)
                return JSONResponse(
                    {"error": "the explorer failed on this request (its log says why)"},
                    status_code=500,
                )

        return endpoint

    async def index(request):
        return HTMLResponse(page)

    return Starlette(
        routes=[
            Route("/", index),
            Route("/api/runs", answering(lambda query: explorer.run_list())),
            Route("/api/units", answering(explorer.units)),
            Route("/api/read", answering(explorer.read)),
        ]
    )
