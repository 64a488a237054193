"""A one-layer regression model and its data, for callback tests that need a few fast fit steps."""

import keras
import numpy as np


def tiny_model(learning_rate, steps_per_execution=1):
    """Dense(1) on 3 features with SGD(learning_rate), the same initial weights every time."""
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(learning_rate), "mse", steps_per_execution=steps_per_execution)
    return model


def data(n):
    """n examples of (3 features, 1 target), the same every time."""
    rng = np.random.default_rng(0)
    return rng.normal(size=(n, 3)).astype("float32"), rng.normal(size=(n, 1)).astype("float32")
