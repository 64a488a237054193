"""The schedules drive a real optimizer: fit with steps_per_execution, a
model.save / load_model round trip that resumes the curve, and mixed precision
under XLA (every schedule under XLA alone: test_schedules_common.py; the probe's
compile settings: test_probe.py).

A one-weight probe makes the applied learning rates visible: the model is
``y = w * x`` with ``x = 1``, trained with SGD on the mean absolute error to a
far-away target, so every gradient is exactly 1 and after ``k`` steps
``w = -(lr(0) + ... + lr(k - 1))``.
"""

import keras
import numpy as np
import pytest
from schedule_cases import cases

from lrhelpers import lr_values

NAMES = list(cases())


def probe_model(schedule, jit_compile=False):
    model = keras.Sequential(
        [
            keras.Input((1,)),
            keras.layers.Dense(1, use_bias=False, kernel_initializer="zeros"),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=schedule),
        loss="mean_absolute_error",
        # Keras' PyTorch backend takes neither (and jit_compile there is torch.compile)
        steps_per_execution=1 if keras.backend.backend() == "torch" else 4,
        jit_compile=jit_compile and keras.backend.backend() != "torch",
    )
    return model


class EpochWeights(keras.callbacks.Callback):
    """The probe weight at the end of each epoch (on JAX, variables are up to date there, not after a batch)."""

    def on_train_begin(self, logs=None):
        self.weights = []

    def on_epoch_end(self, epoch, logs=None):
        self.weights.append(float(keras.ops.convert_to_numpy(self.model.layers[0].kernel)[0, 0]))


def train(model, steps):
    """Fit ``steps`` batches in one ``fit`` call, 4 per epoch; return the weight after every 4th step."""
    x = np.ones((4, 1), "float32")
    y = np.full((4, 1), -1000.0, "float32")  # far below: d loss / d w = 1
    record = EpochWeights()
    model.fit(x, y, batch_size=1, epochs=steps // 4, shuffle=False, verbose=0, callbacks=[record])
    return np.array(record.weights)


def expected_weights(schedule, first, last):
    """The probe weight after steps first+4, first+8, ..., last."""
    applied = -np.cumsum(lr_values(schedule, np.arange(last)).astype(np.float64))
    return applied[first + 3 : last : 4]


@pytest.mark.parametrize("name", NAMES)
def test_fit_save_load_and_resume(name, tmp_path):
    schedule = cases()[name][0]
    model = probe_model(schedule)
    np.testing.assert_allclose(
        train(model, 12), expected_weights(schedule, 0, 12), rtol=1e-5
    )

    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert int(loaded.optimizer.iterations) == 12
    assert float(loaded.optimizer.learning_rate) == float(schedule(12))
    resumed = train(loaded, 12)
    np.testing.assert_allclose(resumed, expected_weights(schedule, 12, 24), rtol=1e-5)


@pytest.mark.parametrize("name", ["CosineRestarts", "OneCycle", "Join"])
def test_mixed_float16_policy(name):
    schedule = cases()[name][0]
    keras.mixed_precision.set_dtype_policy("mixed_float16")
    try:
        model = probe_model(schedule, jit_compile=True)
        weights = train(model, 12)
    finally:
        keras.mixed_precision.set_dtype_policy("float32")
    assert isinstance(model.optimizer, keras.optimizers.LossScaleOptimizer)
    np.testing.assert_allclose(weights, expected_weights(schedule, 0, 12), rtol=1e-5)
