"""lrhelpers under tf.distribute.MirroredStrategy on 2 logical CPU devices: the callbacks, measured
with the probe, and lr_range_test, compared with the same model on one device.

The strategy runs in one subprocess for both (tests/distributed_run.py): logical devices can only be
configured before TensorFlow initialises, which the test session has already done. Keras 3.15
cannot combine MirroredStrategy with gradient_accumulation_steps (its accumulation branch calls
merge_call inside a cond), so that combination is not tested.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import keras
import numpy as np
import pytest
from tiny_training import expected_scales

pytestmark = pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="tf.distribute is TensorFlow's")


@pytest.fixture(scope="module")
def everything():
    pytest.importorskip("tensorflow", reason="needs TensorFlow (tf.distribute)")
    script = Path(__file__).with_name("distributed_run.py")
    env = dict(os.environ, KERAS_BACKEND="tensorflow", TF_CPP_MIN_LOG_LEVEL="3")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=600)
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULTS ")]
    assert done.returncode == 0 and lines, done.stderr[-3000:]
    return json.loads(lines[-1][len("RESULTS "):])


@pytest.fixture(scope="module")
def results(everything):
    return everything["callbacks"]


@pytest.fixture(scope="module")
def report(everything):
    return everything["range_test"]


def test_the_strategy_really_has_two_replicas(results):
    assert results["replicas"] == 2


def test_logger_records_the_applied_schedule_and_resume_check_reads_the_mirrored_counter(results):
    run = results["schedule"]
    assert run["steps"] == list(range(8)) and run["resume_ok"] is True
    np.testing.assert_allclose(run["logged"], run["applied"], rtol=2e-7)  # eager vs compiled: the last bit
    np.testing.assert_allclose(run["applied"], 0.1 * 0.5 ** (np.arange(8) / 6), rtol=2e-7)


def test_batch_scheduler_sets_the_rate_each_update_applies(results):
    run = results["batch_scheduler"]
    np.testing.assert_array_equal(np.float32(run["applied"]), np.float32(0.1 * 0.5 ** np.arange(5)))
    assert run["logged"] == run["applied"]


def test_reduce_lr_on_plateau_lowers_a_mirrored_scale_and_a_mirrored_rate(results):
    run = results["scaled"]
    scales, reductions = expected_scales([1.0, 1.0, 0.5, 0.5], factor=0.5, patience=1)
    assert reductions == 2 and run["scale"] == 0.25
    np.testing.assert_allclose(run["applied"], np.repeat(scales, 3) * np.float32(run["schedule"]), rtol=2e-7)
    np.testing.assert_allclose(run["logged"], run["applied"], rtol=2e-7)
    scales, _ = expected_scales([1.0, 1.0, 1.0], factor=0.5, patience=1)
    np.testing.assert_array_equal(np.float32(results["float_plateau"]["applied"]), np.repeat(scales, 2) * np.float32(0.1))


def test_check_resume_fixes_a_mirrored_counter_and_nothing_else_warns(results):
    assert results["check_resume"] == {"ok": False, "counter": 12}
    assert len(results["warnings"]) == 1 and results["warnings"][0].startswith("optimizer.iterations is 6, but fit starts at epoch 3")


def test_range_test_model_is_mirrored_on_two_replicas(report):
    assert report["replicas"] == 2
    for case in ("fresh", "trained"):
        assert report[case]["mirrored"] == "MirroredVariable"
        assert report[case]["optimizer_mirrored"] == "MirroredVariable"


@pytest.mark.parametrize("case", ["fresh", "trained"])
def test_range_test_gives_the_curve_of_one_device_and_restores_the_state(report, case):
    # train_on_batch hands every replica the whole batch, and Keras scales the loss by the number of
    # replicas: the update, the losses and so the suggestions are those of one device
    got = report[case]
    assert got["steps"] == got["reference_steps"]
    assert got["max_loss_difference"] < 1e-5
    assert got["suggestions"] == pytest.approx(got["reference_suggestions"], rel=1e-12)
    assert got["restored"]
    assert got["iterations"] == (8 if case == "trained" else 0)  # 256 rows in batches of 32
    assert got["replicas_equal"]
