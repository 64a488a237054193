"""Run the callbacks and lr_range_test under tf.distribute.MirroredStrategy on 2 logical CPU devices;
print the results as JSON.

A script, run in a subprocess by tests/test_distributed.py: the logical devices must be
configured before TensorFlow initialises, which a pytest process has already done. One
process for both: TensorFlow's start-up is most of its cost.
"""

import gc
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


def callbacks(strategy):
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
    return results


def range_test_model():
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


def range_test(strategy):
    """lr_range_test of a mirrored model and of the same model on one device, fresh and then trained.

    The trained pair is the fresh pair after its range test (which puts everything back, so the
    optimizer counts only the training's updates): their train step is traced once, not twice.
    """
    rng = np.random.default_rng(0)
    x = rng.normal(size=(256, 8)).astype("float32")
    y = (x @ rng.normal(size=(8, 1)) + 0.1 * rng.normal(size=(256, 1))).astype("float32")
    batches = tf.data.Dataset.from_tensor_slices((x, y)).batch(32)
    report = {"replicas": strategy.num_replicas_in_sync}
    with strategy.scope():
        model = range_test_model()
    single = range_test_model()
    for trained in (False, True):
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
    return report


def main():
    strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    results = {"callbacks": callbacks(strategy), "range_test": range_test(strategy)}
    print("RESULTS " + json.dumps(results))
    gc.freeze()  # exit without the final garbage collection over TensorFlow's objects (as in conftest.py)


if __name__ == "__main__":
    main()
