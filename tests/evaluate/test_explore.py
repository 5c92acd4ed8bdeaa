"""`python -m evaluate explore`: the page's server answers from the Python API, names runs
only by index or name (a path is refused), says what is wrong with a bad sentence in one
line, listens on 127.0.0.1 unless told otherwise, and reads each sentence within a second."""

import json
import statistics
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from evaluate import explore
from evaluate.__main__ import main
from evaluate.reading import Clamp

SENTENCE = "the children of the city that the mouse knows especially"


def get(url: str, **params) -> tuple[int, dict | str]:
    """(status, JSON answer, or the text of a non-JSON one) of a GET request."""
    try:
        with urllib.request.urlopen(f"{url}?{urllib.parse.urlencode(params)}", timeout=60) as r:
            status, body = r.status, r.read().decode()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read().decode()
    try:
        return status, json.loads(body)
    except ValueError:
        return status, body


@pytest.fixture(scope="module")
def explorer(opened_tiny_run):
    with explore.start([opened_tiny_run]) as running:
        yield running


def test_a_sentence_is_read_as_the_api_reads_it(explorer, opened_tiny_run):
    status, answer = get(explorer.url + "api/read", run="tiny", sentence=SENTENCE, units="3,1")
    assert status == 200
    reading = opened_tiny_run.read(SENTENCE, units=[3, 1])
    assert answer["words"] == list(reading.words) and answer["units"] == [3, 1]
    assert answer["quantities"]["update"] == reading.quantities["update"].tolist()
    assert answer["p_plural_at"][0] is None
    assert answer["p_plural_at"][1:] == pytest.approx(reading.p_plural_at[1:].tolist())
    status, clamped = get(explorer.url + "api/read", run="0", sentence=SENTENCE,
                          clamp_units="3", clamp_values="0.5", clamp_start="2")  # fmt: skip
    assert status == 200 and clamped["clamp"] == {"units": [3], "values": [0.5], "start": 2}
    assert clamped["p_plural_at_unclamped"][1:] == pytest.approx(answer["p_plural_at"][1:])
    # Several units at once, each at its own value: as the API clamps them.
    status, both = get(explorer.url + "api/read", run="0", sentence=SENTENCE,
                       clamp_units="3,1", clamp_values="0.5,-0.25", clamp_start="2")  # fmt: skip
    expected = opened_tiny_run.read(SENTENCE, clamp=Clamp((3, 1), (0.5, -0.25), start=2))
    assert status == 200 and both["clamp"] == {"units": [3, 1], "values": [0.5, -0.25], "start": 2}
    assert both["p_plural_at"][1:] == pytest.approx(expected.p_plural_at[1:].tolist())
    assert both["p_plural_at"][3:] != pytest.approx(clamped["p_plural_at"][3:])
    status, units = get(explorer.url + "api/units", run="tiny")
    assert status == 200 and units["rows"] == opened_tiny_run.unit_ranking().rows()


@pytest.mark.parametrize("run", ["/etc/passwd", "../tiny", "~", "..", "runs\\tiny", "ABSOLUTE"])
def test_a_path_in_a_request_is_refused(explorer, opened_tiny_run, run):
    run = str(opened_tiny_run.path) if run == "ABSOLUTE" else run
    status, answer = get(explorer.url + "api/read", run=run, sentence=SENTENCE)
    assert status == 400
    assert answer["error"].startswith(f"run: {run!r} looks like a path; the explorer reads only")
    assert "0 (tiny)" in answer["error"]


def test_only_the_page_and_its_questions_are_served(explorer):
    status, page = get(explorer.url)
    assert status == 200 and "<title>gatezoo explorer</title>" in page
    # Nothing is loaded from elsewhere: no address outside the page's own server.
    assert "http://" not in page and "https://" not in page and "//cdn" not in page
    for path in ["etc/passwd", "api/read/../../etc/passwd", "explorer.html", "api"]:
        assert get(explorer.url + path)[0] == 404, path
    assert get(explorer.url + "api/read", run="7", sentence="x")[1]["error"].startswith(
        "run: no run '7'; choose from 0 (tiny)"
    )


@pytest.mark.parametrize(
    ("sentence", "starts"),
    [
        ("", "sentence: empty; type a sentence"),
        ("   ", "sentence: empty; type a sentence"),
        ("the dogs " * 1112, "sentence: 10,008 characters is too long; the explorer reads at"),
        ("😀 🎉🎉", "sentence: no words left after normalising"),
    ],
)
def test_a_bad_sentence_gets_a_one_line_message(explorer, sentence, starts):
    status, answer = get(explorer.url + "api/read", run="tiny", sentence=sentence)
    assert status == 400 and answer["error"].startswith(starts) and "\n" not in answer["error"]
    assert "Traceback" not in answer["error"]


@pytest.mark.parametrize(
    ("params", "starts"),
    [
        (dict(units="3,x"), "units: expected whole numbers from 0 up, got 'x'"),
        (dict(units="99"), "units: units are numbered 0..15"),
        (dict(layer="rnn_5"), "layer: invalid choice 'rnn_5'"),
        (dict(clamp_units="1", clamp_values="lots"), "clamp_values: expected a number, got 'lots'"),
        (dict(clamp_units="1", clamp_values="inf"), "clamp: expected a finite value"),
        (dict(clamp_units="1", clamp_values="0", clamp_start="40"), "clamp: the sentence's words"),
        (
            dict(clamp_units="1,2,3", clamp_values="0,1"),
            "clamp: expected one value, or one per unit (3)",
        ),
        (dict(clamp_units="1,1", clamp_values="0"), "clamp: each unit once"),
        (
            dict(clamp_units="1,x", clamp_values="0"),
            "clamp_units: expected whole numbers from 0 up",
        ),
    ],
)
def test_bad_parameters_get_a_one_line_message(explorer, params, starts):
    status, answer = get(explorer.url + "api/read", run="tiny", sentence=SENTENCE, **params)
    assert status == 400 and answer["error"].startswith(starts)


def test_it_listens_on_localhost_unless_told_and_explains_itself(capsys, opened_tiny_run):
    with pytest.raises(SystemExit) as exited:
        main(["explore", "--help"])
    assert exited.value.code == 0
    help_text = capsys.readouterr().out
    assert "--host" in help_text and "127.0.0.1" in help_text and "--port" in help_text
    import argparse

    arguments = argparse.ArgumentParser()
    explore.add_arguments(arguments)
    defaults = arguments.parse_args(["some-run"])
    assert (defaults.host, defaults.port) == ("127.0.0.1", explore.DEFAULT_PORT)
    with explore.start([opened_tiny_run]) as running:
        assert running.url.startswith("http://127.0.0.1:")
    with pytest.raises(SystemExit) as exited:
        main(["explore", "some-run", "--port", "70000"])
    assert exited.value.code == 2
    assert "--port: expected a port number 0..65535" in capsys.readouterr().err


def test_each_sentence_answers_within_a_second_for_a_128_unit_model(rebuilt_run):
    """Measured through HTTP, as the page asks: the median of a few sentences, plain and
    with two units clamped."""
    runs = explore.open_runs([rebuilt_run("gru128", units=128, jit=False)])
    sentences = [
        SENTENCE,
        "the girls near the cars know",
        "if the cats that the dogs know , the city",
    ]
    seconds = []
    with explore.start(runs) as running:
        for sentence in sentences:
            for clamp in ({}, {"clamp_units": "7,9", "clamp_values": "0.5,0", "clamp_start": "1"}):
                start = time.perf_counter()
                status, _ = get(running.url + "api/read", run="0", sentence=sentence, **clamp)
                seconds.append(time.perf_counter() - start)
                assert status == 200
    print(f"\n128-unit GRU: seconds per sentence, median {statistics.median(seconds):.3f}, "
          f"slowest {max(seconds):.3f}")  # fmt: skip
    assert statistics.median(seconds) < 1.0
