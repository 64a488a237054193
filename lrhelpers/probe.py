"""Measure the learning rate that a compiled ``fit`` really applies, update by update."""

import keras
import numpy as np
from keras import ops

from . import _checks


def applied_learning_rates(
    learning_rate,
    updates,
    *,
    start=0,
    jit_compile=False,
    steps_per_execution=1,
    gradient_accumulation_steps=None,
    run_eagerly=False,
    callbacks=None,
):
    """Train a probe with plain SGD and return the learning rate of every update.

    This is a measurement, independent of how the schedule is written: the
    probe is a zero-initialised ``Embedding(updates, 1)`` that sees the index
    ``u`` at update ``u``, and its loss is the embedding value itself, so the
    gradient is exactly 1 for row ``u`` and 0 elsewhere. SGD without momentum
    sets ``w[u] = 0 - lr * 1``: after ``fit``, ``-w[u]`` is the float32 rate
    that update ``u`` applied, exactly (no rounding happens on the way). No
    callback reads anything during training, so the measurement also holds
    with ``steps_per_execution > 1``, ``jit_compile=True`` and gradient
    accumulation (each update's micro-batches all see the index ``u``, whose
    averaged gradient is again exactly 1).

    With gradient accumulation over ``k`` micro-batches, Keras 3 evaluates a
    schedule at the micro-batch counter (``optimizer._iterations``), so update
    ``u`` applies ``schedule(k * u + k - 1)``; this function shows that as it
    is, it does not correct it.

    Under a ``tf.distribute`` strategy, call it inside ``strategy.scope()``;
    under a ``keras.distribution`` (JAX), after ``set_distribution``: each
    global batch holds one example per replica, all with the same index.

    Args:
        learning_rate: what ``keras.optimizers.SGD(learning_rate=...)`` takes:
            a ``LearningRateSchedule``, a float, or a callable.
        updates: the number of optimizer updates to measure (> 0).
        start: the optimizer update counter before the first measured update
            (``optimizer.iterations`` is set to it), so a late part of a long
            schedule can be measured without training through the rest.
        jit_compile, steps_per_execution, run_eagerly: passed to ``compile``.
        gradient_accumulation_steps: passed to ``SGD``; None or an int >= 2.
        callbacks: passed to ``fit`` (e.g. a ``LearningRateLogger`` whose
            records can be compared with the measurement).

    Returns:
        A float32 NumPy array of length ``updates``: element ``u`` is the
        learning rate that update ``start + u`` applied.

    Example:
        >>> decay = keras.optimizers.schedules.ExponentialDecay(0.1, 2, 0.5, staircase=True)
        >>> applied_learning_rates(decay, 5)
        array([0.1  , 0.1  , 0.05 , 0.05 , 0.025], dtype=float32)
    """
    updates = _checks.positive_integer("updates", updates)
    start = _checks.non_negative_integer("start", start)
    micro_batches = gradient_accumulation_steps or 1
    replicas = _replicas_in_sync()

    probe = keras.Sequential([
        keras.Input((1,), dtype="int32"),
        keras.layers.Embedding(updates, 1, embeddings_initializer="zeros"),
    ])
    optimizer = keras.optimizers.SGD(
        learning_rate=learning_rate, gradient_accumulation_steps=gradient_accumulation_steps
    )
    probe.compile(
        optimizer=optimizer,
        loss=lambda y_true, y_pred: ops.sum(y_pred, axis=(1, 2)),  # loss = w[index]
        jit_compile=jit_compile,
        steps_per_execution=steps_per_execution,
        run_eagerly=run_eagerly,
    )
    if start:
        optimizer.build(probe.trainable_variables)
        optimizer._iterations.assign(start * micro_batches)  # the micro-batch counter
    # Update u: `micro_batches` global batches of `replicas` examples, all with index u.
    index = np.repeat(np.arange(updates, dtype="int32"), micro_batches * replicas).reshape(-1, 1)
    probe.fit(
        index, np.zeros(len(index), dtype="float32"), batch_size=replicas,
        epochs=1, shuffle=False, verbose=0, callbacks=callbacks,
    )
    weights = ops.convert_to_numpy(probe.layers[0].embeddings)
    return (0.0 - weights[:, 0]).astype("float32")


def _replicas_in_sync():
    """How many ways a global batch is split: tf.distribute replicas or a keras.distribution batch axis."""
    distribution = keras.distribution.distribution()  # set with keras.distribution.set_distribution (JAX)
    if distribution is not None:
        mesh = distribution.device_mesh
        return dict(zip(mesh.axis_names, mesh.shape))[distribution.batch_dim_name]
    if keras.backend.backend() != "tensorflow":
        return 1
    import tensorflow as tf  # only on the TensorFlow backend

    return tf.distribute.get_strategy().num_replicas_in_sync
