"""A real TensorBoard server serves a run's gate dashboards over HTTP."""

import json
import urllib.request

from train import tags


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
