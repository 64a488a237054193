"""Write range_test_curves.json: curves recorded by lrhelpers.lr_range_test on small models.

They are inputs for make_fastai_reference.py, which runs fastai's suggestion
rules on them: real curves, recorded once (the last digits of training losses
differ between machines, so they are stored, not re-recorded by the tests).
Run with the project's environment (TensorFlow backend), from the repository root:

    KERAS_BACKEND=tensorflow .venv/bin/python tests/reference/record_range_test_curves.py
"""

import json
import pathlib

import keras
import numpy as np

import lrhelpers


def fashion_mnist_mlp():
    (x, y), _ = keras.datasets.fashion_mnist.load_data()
    x = (x[:12800].reshape(-1, 784) / 255.0).astype("float32")
    y = y[:12800]
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((784,)), keras.layers.Dense(64, activation="relu"),
                              keras.layers.Dense(10)])
    model.compile(keras.optimizers.Adam(1e-3),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return model, (x, y)


def regression_mlp():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(512, 8)).astype("float32")
    y = (x @ rng.normal(size=(8, 1)) + 0.1 * rng.normal(size=(512, 1))).astype("float32")
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(32, activation="relu"),
                              keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(0.01, momentum=0.9), loss="mse")
    return model, (x, y)


CASES = [
    ("fashion_mnist_mlp_adam_exponential", fashion_mnist_mlp,
     dict(min_lr=1e-7, max_lr=10.0, num_steps=100, batch_size=128)),
    ("regression_mlp_sgd_exponential", regression_mlp,
     dict(min_lr=1e-5, max_lr=10.0, num_steps=150, batch_size=16)),
    ("regression_mlp_sgd_linear", regression_mlp,
     dict(min_lr=1e-3, max_lr=0.1, num_steps=80, mode="linear", batch_size=16)),
    ("regression_mlp_sgd_linear_diverging", regression_mlp,
     dict(min_lr=1e-3, max_lr=0.5, num_steps=80, mode="linear", batch_size=16)),
]


def main():
    curves = []
    for name, make, kwargs in CASES:
        model, data = make()
        result = lrhelpers.lr_range_test(model, data, **kwargs)
        curves.append({
            "name": name,
            "num_steps": result.num_steps,
            "learning_rates": result.learning_rates.tolist(),
            "losses": result.losses.tolist(),
            # NaN, where the last loss was not finite, is written as null
            "smoothed_losses": [None if np.isnan(v) else v for v in result.smoothed_losses.tolist()],
        })
        print(f"{name}: {result}")
    out = pathlib.Path(__file__).with_name("range_test_curves.json")
    meta = {"keras": keras.__version__, "backend": keras.backend.backend()}
    out.write_text(json.dumps({"recorded_with": meta, "curves": curves}, indent=1) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
