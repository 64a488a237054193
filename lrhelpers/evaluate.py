"""Evaluate a learning-rate schedule over many steps at once."""

import numbers

import keras
import numpy as np
from keras import ops


def lr_values(schedule, steps):
    """Return the learning rate of ``schedule`` at every step of ``steps``.

    The steps go through the schedule in vectorised calls, ``schedule(steps)``
    on chunks of 65536 steps, so evaluating a million steps takes a fraction
    of a second instead of the minutes a Python loop over ``schedule(step)``
    needs. A schedule that only accepts scalar steps (Keras' ``CosineDecay``
    with warmup branches with ``ops.cond``) is mapped over the steps with
    ``keras.ops.vectorized_map`` (TensorFlow, JAX), or called step by step
    where that cannot trace it (PyTorch's ``vmap`` refuses the branch; about
    a millisecond per step there).

    Integer steps go in as int64, or int32 on JAX without x64 (as
    ``optimizer.iterations`` is there; steps must then fit in int32), float
    steps as float32: no float64 is needed on any backend.

    Args:
        schedule: a ``keras.optimizers.schedules.LearningRateSchedule``, any
            callable of the step, or a constant learning rate (a number).
        steps: an int or float array-like of optimizer steps, of any shape.

    Returns:
        A float32 NumPy array with the shape of ``steps``: ``lr[i] = schedule(steps[i])``.

    Example:
        >>> decay = keras.optimizers.schedules.ExponentialDecay(0.1, 50, 0.1, staircase=True)
        >>> lr_values(decay, [0, 49, 50, 100])
        array([0.1  , 0.1  , 0.01 , 0.001], dtype=float32)
    """
    steps = np.asarray(steps)
    if steps.dtype.kind not in "iuf":
        raise ValueError(
            "Argument `steps` must hold integer or float step numbers. "
            f"Received: steps with dtype={steps.dtype}"
        )
    if isinstance(schedule, numbers.Real) and not isinstance(schedule, bool):
        return np.full(steps.shape, schedule, dtype=np.float32)
    if not callable(schedule):
        raise ValueError(
            "Argument `schedule` must be a LearningRateSchedule, a callable of "
            f"the step or a number. Received: schedule={schedule!r}"
        )
    flat = steps.reshape(-1).astype(_step_dtype(steps))
    if flat.size == 0:
        return np.zeros(steps.shape, dtype=np.float32)
    chunks = [_evaluate(schedule, flat[i : i + _CHUNK]) for i in range(0, flat.size, _CHUNK)]
    values = np.concatenate(chunks)
    return values.reshape(steps.shape)


# Steps per call: bounds the memory of schedules that compare every step with
# a table (lrhelpers' CosineRestarts) while keeping the calls few.
_CHUNK = 2**16


def _step_dtype(steps):
    """float32 for float steps; int64 for integers, int32 where the backend has no int64."""
    if steps.dtype.kind == "f":
        return np.float32
    if keras.backend.backend() == "jax":
        import jax  # only on the JAX backend

        if not jax.config.jax_enable_x64:
            if steps.size and (steps.min() < -(2**31) or steps.max() >= 2**31):
                raise ValueError(
                    "Argument `steps` must fit in int32 on JAX without x64 (as "
                    "`optimizer.iterations` does there). Received: steps from "
                    f"{steps.min()} to {steps.max()}"
                )
            return np.int32
    return np.int64


def _evaluate(schedule, steps):
    """``schedule`` at a 1-D NumPy array of steps, as a float32 NumPy array."""
    tensor = ops.convert_to_tensor(steps)
    try:
        values = schedule(tensor)
    except (ValueError, TypeError, RuntimeError) as vector_error:
        # A schedule that takes a scalar step only (`ops.cond` or a Python `if`)
        try:
            values = _vectorized_map(schedule, tensor)
        except Exception:
            # PyTorch's vmap refuses data-dependent control flow: step by step.
            try:
                values = ops.stack([ops.cast(schedule(tensor[i]), "float32") for i in range(len(steps))])
            except Exception:
                raise vector_error from None
    values = _to_numpy(values).astype(np.float32, copy=False)
    if values.size == 1:  # a schedule that ignores the step returns one value
        return np.full(steps.shape, values.item(), dtype=np.float32)
    return values.reshape(steps.shape)


def _to_numpy(tensor):
    if keras.backend.backend() == "torch" and hasattr(tensor, "detach"):
        # Tensor.numpy(): NumPy 2 warns about np.array(torch_tensor) (no `copy` argument)
        return tensor.detach().cpu().numpy()
    return np.asarray(ops.convert_to_numpy(tensor))


def _vectorized_map(schedule, tensor):
    """``ops.vectorized_map(schedule, tensor)``, without TensorFlow's retracing warning.

    TensorFlow's ``vectorized_map`` builds a new ``tf.function`` at every call, so
    a few ``lr_values`` calls in a row log "triggered tf.function retracing"; that
    retracing is expected here and the warning is only noise for the caller.
    """
    if keras.backend.backend() != "tensorflow":
        return ops.vectorized_map(schedule, tensor)
    import logging

    logger = logging.getLogger("tensorflow")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        return ops.vectorized_map(schedule, tensor)
    finally:
        logger.setLevel(level)
