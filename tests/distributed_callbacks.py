"""Run the callbacks under tf.distribute.MirroredStrategy on 2 logical CPU devices; print the results as JSON.

A script, run in a subprocess by tests/test_distributed_callbacks.py: the logical devices must be
configured before TensorFlow initialises, which a pytest process has already done.
"""

import json
import os
import sys
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf  # noqa: E402

cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)

import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras.optimizers import schedules  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
import lrhelpers  # noqa: E402
from tiny_training import ScriptedMetric, probe_fit, probe_model, probe_rates  # noqa: E402

EXPONENTIAL = schedules.ExponentialDecay(0.1, 6, 0.5)


def floats(values):
    return [float(v) for v in np.asarray(values, dtype=np.float32)]


def main():
    strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    results = {"replicas": strategy.num_replicas_in_sync}
    with warnings.catch_warnings(record=True) as caught, strategy.scope():
        warnings.simplefilter("always")
        logger, check = lrhelpers.LearningRateLogger(print_every=4), lrhelpers.ResumeCheck()
        applied = lrhelpers.applied_learning_rates(EXPONENTIAL, 8, callbacks=[logger, check])
        results["schedule"] = {"applied": floats(applied), "steps": logger.steps.tolist(),
                               "logged": floats(logger.learning_rates), "resume_ok": check.ok}

        logger = lrhelpers.LearningRateLogger()
        setter = lrhelpers.BatchLearningRateScheduler(lambda step, lr: 0.1 * 0.5**step)
        applied = lrhelpers.applied_learning_rates(0.1, 5, callbacks=[setter, logger])
        results["batch_scheduler"] = {"applied": floats(applied), "logged": floats(logger.learning_rates)}

        scaled = lrhelpers.Scaled(EXPONENTIAL)
        model = probe_model(scaled, rows=12)
        logger = lrhelpers.LearningRateLogger()
        plateau = lrhelpers.ReduceLROnPlateau(factor=0.5, patience=1)
        probe_fit(model, 0, 3, 4, [ScriptedMetric([1.0, 1.0, 0.5, 0.5]), plateau, logger], replicas=2)
        results["scaled"] = {"applied": floats(probe_rates(model, 0, 12)), "logged": floats(logger.learning_rates),
                             "scale": scaled.get_config()["scale"],
                             "schedule": floats(lrhelpers.lr_values(EXPONENTIAL, np.arange(12)))}

        model = probe_model(0.1, rows=6)
        plateau = lrhelpers.ReduceLROnPlateau(factor=0.5, patience=1)
        probe_fit(model, 0, 2, 3, [ScriptedMetric([1.0, 1.0, 1.0]), plateau], replicas=2)
        results["float_plateau"] = {"applied": floats(probe_rates(model, 0, 6))}

        optimizer = model.optimizer
        results["check_resume"] = {"ok": lrhelpers.check_resume(optimizer, 3, 4, fix=True),
                                   "counter": int(optimizer.iterations.numpy())}
    results["warnings"] = sorted({str(w.message)[:120] for w in caught if "__array__" not in str(w.message)})
    print("RESULTS " + json.dumps(results))


if __name__ == "__main__":
    main()
