"""A real TensorBoard server serves a run's gate dashboards over HTTP."""

import json
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from train import tags


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def tensorboard_url(tiny_run):
    _, run_dir, _ = tiny_run
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tensorboard.main",
            "--logdir",
            str(run_dir / "logs"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--load_fast",
            "false",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"{url}/data/plugins_listing", timeout=5)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def get_json(url, data=None):
    request = urllib.request.Request(url, data=None if data is None else json.dumps(data).encode())
    if data is not None:
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def test_tensorboard_serves_gate_scalars_histograms_images_and_hparams(tensorboard_url):
    gates_run = tags.GATES_LOG_DIR
    scalars = get_json(f"{tensorboard_url}/data/plugin/scalars/tags")
    assert tags.gate_mean("rnn_0", "update") in scalars[gates_run]
    assert tags.gate_saturated("rnn_0", "reset") in scalars[gates_run]
    assert "epoch_accuracy" in scalars["train"]

    histograms = get_json(f"{tensorboard_url}/data/plugin/histograms/tags")
    assert tags.gate_histogram("rnn_0", "update") in histograms[gates_run]

    images = get_json(f"{tensorboard_url}/data/plugin/images/tags")
    assert tags.heatmap("rnn_0", "update") in images[gates_run]
    assert tags.gradient_by_distance("rnn_0") in images[gates_run]

    layout = get_json(f"{tensorboard_url}/data/plugin/custom_scalars/layout")
    assert {category["title"] for category in layout["category"]} == {"gate update", "gate reset"}

    experiment = get_json(
        f"{tensorboard_url}/data/plugin/hparams/experiment", data={"experimentName": ""}
    )
    hparam_names = {info["name"] for info in experiment["hparamInfos"]}
    assert {"model", "units", "seed"} <= hparam_names
    sessions = get_json(
        f"{tensorboard_url}/data/plugin/hparams/session_groups",
        data={
            "experimentName": "",
            "allowedStatuses": ["STATUS_UNKNOWN", "STATUS_SUCCESS"],
            "colParams": [],
            "startIndex": 0,
            "sliceSize": 10,
        },
    )
    assert sessions["totalSize"] == 1
    group_hparams = sessions["sessionGroups"][0]["hparams"]
    assert group_hparams["model"] == "gru" and group_hparams["units"] == 16
