"""Test helper, run as a process: which training sentences each replica of a strategy gets.

python tests/train/shard_probe.py multiworker OUT.json   # one worker of TF_CONFIG's cluster
python tests/train/shard_probe.py mirrored OUT.json      # two replicas on two logical CPUs

Sentence i of the training set is the row [i + 1, 0, …]; the probe writes, for each step
of one epoch of :func:`train.batches.epoch_batches`, the sentence numbers of each of this
process's replicas.
"""

import json
import sys

import numpy as np

N_SENTENCES, BATCH_SIZE, SEED = 200, 32, 7


def main(kind: str, out: str) -> None:
    import tensorflow as tf

    from train.batches import epoch_batches

    if kind == "mirrored":
        cpu = tf.config.list_physical_devices("CPU")[0]
        tf.config.set_logical_device_configuration(
            cpu, [tf.config.LogicalDeviceConfiguration()] * 2
        )
        strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    else:
        from train.distribution import make_strategy

        strategy = make_strategy("multiworker")
    inputs = np.zeros((N_SENTENCES, 4), "int32")
    inputs[:, 0] = np.arange(N_SENTENCES) + 1
    targets = np.arange(N_SENTENCES, dtype="int32") % 2
    batches = strategy.experimental_distribute_dataset(
        epoch_batches(inputs, targets, BATCH_SIZE, SEED, range(1))
    )
    steps = []
    for tokens, _ in batches:
        replicas = strategy.experimental_local_results(tokens)
        steps.append([(np.asarray(part)[:, 0] - 1).tolist() for part in replicas])
    with open(out, "w") as file:
        json.dump(
            {"sentences": N_SENTENCES, "batch_size": BATCH_SIZE, "seed": SEED, "steps": steps},
            file,
        )


if __name__ == "__main__":
    main(*sys.argv[1:])
