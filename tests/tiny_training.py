"""Small models, data and probes for the callback tests: a few fast fit steps, measured rates, scripted metrics."""

import contextlib
import io

import keras
import numpy as np

from lrhelpers._optimizer import value_of  # reads a variable without NumPy 2's __array__ warning


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


class ScriptedMetric(keras.callbacks.Callback):
    """Puts values[epoch] into the epoch logs under `name`, for callbacks listed after it."""

    def __init__(self, values, name="val_loss"):
        super().__init__()
        self.values, self.name = list(values), name

    def on_epoch_end(self, epoch, logs=None):
        logs[self.name] = self.values[epoch]


class CrashBefore(keras.callbacks.Callback):
    """A simulated crash: raises RuntimeError("simulated crash") at the start of the batch of optimizer update `step`."""

    def __init__(self, step):
        super().__init__()
        self.step = step

    def on_train_batch_begin(self, batch, logs=None):
        if int(value_of(self.model.optimizer.iterations)) == self.step:
            raise RuntimeError("simulated crash")


@keras.saving.register_keras_serializable(package="tests")
def embedding_value(y_true, y_pred):
    """The probe's loss: the value of the embedding row it sees, so its gradient is 1."""
    return keras.ops.sum(y_pred, axis=(1, 2))


def probe_model(learning_rate, rows, gradient_accumulation_steps=None):
    """The measurement of lrhelpers.applied_learning_rates, kept for several fit calls and epochs.

    A zero-initialised Embedding(rows, 1) whose loss is its output: SGD sets
    w[u] = -lr for the row u trained at update u, exactly (see lrhelpers/probe.py).
    """
    model = keras.Sequential([
        keras.Input((1,), dtype="int32"),
        keras.layers.Embedding(rows, 1, embeddings_initializer="zeros"),
    ])
    model.compile(
        keras.optimizers.SGD(learning_rate, gradient_accumulation_steps=gradient_accumulation_steps),
        loss=embedding_value,
    )
    return model


def probe_fit(model, first_update, updates_per_epoch, epochs, callbacks=(), initial_epoch=0, replicas=1):
    """fit one batch per micro-batch: update u (counted from first_update) trains row u.

    With `replicas` > 1 (a tf.distribute strategy), each batch is a tf.data batch holding one
    copy of the index per replica.
    """
    k = model.optimizer.gradient_accumulation_steps or 1
    total = updates_per_epoch * (epochs - initial_epoch)
    index = np.repeat(np.arange(first_update, first_update + total, dtype="int32"), k).reshape(-1, 1)
    if replicas > 1:
        import tensorflow as tf  # tf.distribute: TensorFlow only

        index = np.repeat(index, replicas, axis=0)
        batches = tf.data.Dataset.from_tensor_slices((index, np.zeros(len(index), "float32"))).batch(replicas)
    else:
        batches = ((index[i:i + 1], np.zeros((1,), "float32")) for i in range(len(index)))
    model.fit(batches, steps_per_epoch=updates_per_epoch * k, epochs=epochs, initial_epoch=initial_epoch, shuffle=False,
              callbacks=list(callbacks), verbose=0)


def probe_rates(model, first_update, count):
    """The float32 rates that updates first_update .. first_update + count - 1 applied."""
    weights = keras.ops.convert_to_numpy(model.layers[0].embeddings)
    return (0.0 - weights[first_update:first_update + count, 0]).astype("float32")


def drive(callback, model, curve, monitor):
    """Call the callback as fit would for each epoch; return (rate after each epoch, logs, stdout)."""
    callback.set_model(model)
    rates, logs_seen, out = [], [], io.StringIO()
    with contextlib.redirect_stdout(out):
        callback.on_train_begin()
        for epoch, value in enumerate(curve):
            logs = {monitor: value, "loss": 2 * value}
            callback.on_epoch_end(epoch, logs)
            rates.append(float(value_of(model.optimizer.learning_rate)))
            logs_seen.append(logs)
    return rates, logs_seen, out.getvalue()


def expected_scales(curve, **arguments):
    """The scale each epoch trains with, and the number of reductions: Keras' callback on a float rate from 1.0."""
    rates, _, out = drive(keras.callbacks.ReduceLROnPlateau(verbose=1, **arguments), tiny_model(1.0), curve, "val_loss")
    return np.float32([1.0] + rates[:-1]), out.count("reducing learning rate")
