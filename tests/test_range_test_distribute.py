"""lr_range_test under tf.distribute.MirroredStrategy on 2 logical CPU devices.

The logical devices must be configured before TensorFlow initialises, which
the test session has already done, so the check runs in a fresh Python.
"""

import json
import os
import subprocess
import sys
import textwrap

import keras
import pytest

CHILD = textwrap.dedent('''
    import json
    import tensorflow as tf

    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)

    import keras
    import numpy as np

    import lrhelpers

    rng = np.random.default_rng(0)
    x = rng.normal(size=(256, 8)).astype("float32")
    y = (x @ rng.normal(size=(8, 1)) + 0.1 * rng.normal(size=(256, 1))).astype("float32")
    batches = tf.data.Dataset.from_tensor_slices((x, y)).batch(32)


    def compiled():
        keras.utils.set_random_seed(1)
        model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"),
                                  keras.layers.BatchNormalization(), keras.layers.Dense(1)])
        model.compile(keras.optimizers.Adam(1e-3), loss="mse", metrics=["mae"])
        return model


    def state(model):
        variables = list(model.variables) + list(model.optimizer.variables) + list(model.metrics_variables)
        return {v.path: keras.ops.convert_to_tensor(v).numpy() for v in variables}


    def replicas(variable):  # the per-device copies of a MirroredVariable
        return [v.numpy() for v in variable.value.values]


    report = {}
    strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    report["replicas"] = strategy.num_replicas_in_sync
    for trained in (False, True):
        with strategy.scope():
            model = compiled()
        single = compiled()
        if trained:
            for m in (model, single):  # as lr_range_test trains: fit would split the batches between replicas
                for batch in batches:
                    m.train_on_batch(*batch)
        before = state(model) if trained else None
        kwargs = dict(min_lr=1e-5, max_lr=10.0, num_steps=40)
        result = lrhelpers.lr_range_test(model, batches, **kwargs)
        reference = lrhelpers.lr_range_test(single, batches, **kwargs)
        after = state(model)
        kernel = model.trainable_variables[0]
        report["trained" if trained else "fresh"] = {
            "mirrored": type(kernel.value).__name__,
            "optimizer_mirrored": type(model.optimizer.variables[-1].value).__name__,
            "steps": result.steps,
            "reference_steps": reference.steps,
            "max_loss_difference": float(np.max(np.abs(result.losses - reference.losses)
                                                / np.abs(reference.losses)))
            if result.steps == reference.steps else None,
            "suggestions": result.suggestions,
            "reference_suggestions": reference.suggestions,
            "restored": before is None or all(np.array_equal(after[k], v) for k, v in before.items()),
            "iterations": int(keras.ops.convert_to_tensor(model.optimizer.iterations).numpy()),
            "replicas_equal": all(np.array_equal(*replicas(v)) for v in model.trainable_variables),
        }
    print("REPORT " + json.dumps(report))
''')


@pytest.fixture(scope="module")
def report():
    if keras.backend.backend() != "tensorflow":
        pytest.skip(f"needs TensorFlow (tf.distribute); the backend is {keras.backend.backend()}")
    pytest.importorskip("tensorflow", reason="needs TensorFlow (tf.distribute)")
    env = dict(os.environ, KERAS_BACKEND="tensorflow", TF_CPP_MIN_LOG_LEVEL="3")
    done = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, env=env, timeout=600)
    lines = [line for line in done.stdout.splitlines() if line.startswith("REPORT ")]
    assert done.returncode == 0 and lines, done.stderr[-3000:]
    return json.loads(lines[-1][len("REPORT "):])


def test_two_replicas(report):
    assert report["replicas"] == 2
    for case in ("fresh", "trained"):
        assert report[case]["mirrored"] == "MirroredVariable"
        assert report[case]["optimizer_mirrored"] == "MirroredVariable"


@pytest.mark.parametrize("case", ["fresh", "trained"])
def test_same_curve_as_on_one_device_and_state_restored(report, case):
    # train_on_batch hands every replica the whole batch, and Keras scales the loss by the number of
    # replicas: the update, the losses and so the suggestions are those of one device
    got = report[case]
    assert got["steps"] == got["reference_steps"]
    assert got["max_loss_difference"] < 1e-5
    assert got["suggestions"] == pytest.approx(got["reference_suggestions"], rel=1e-12)
    assert got["restored"]
    assert got["iterations"] == (8 if case == "trained" else 0)  # 256 rows in batches of 32
    assert got["replicas_equal"]
