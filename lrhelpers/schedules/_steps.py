"""Steps as integers, so that cycle arithmetic is exact without float64.

JAX without x64, Apple GPUs (MPS) and TPUs have no float64, and float32 holds
whole numbers exactly only up to 2**24. The schedules therefore keep an
integer step in integer arithmetic (int64, as ``optimizer.iterations`` is on
TensorFlow and PyTorch; int32, as on JAX without x64) for everything that
decides where a cycle or a phase starts, and go to float32 only for the
position inside it.
"""

import math

import keras
import numpy as np
from keras import ops

# Up to this many cycles a step finds its cycle by comparing with every start
# (a few ops, memory steps x cycles); more cycles use a binary search.
ONE_HOT_CYCLES = 128


def standardize(step):
    """A tensor of steps: int64 stays int64, other integers become int32, floats float32."""
    step = ops.convert_to_tensor(step)
    dtype = keras.backend.standardize_dtype(step.dtype)
    if dtype == "int64":
        return step
    return ops.cast(step, "int32" if "int" in dtype else "float32")


def _whole(number):
    return float(number).is_integer()


def _is_integer(step):
    return "int" in keras.backend.standardize_dtype(step.dtype)


def minus(step, number):
    """``step - number``, in integers when both are whole (exact), else in float32."""
    if _is_integer(step) and _whole(number):
        return step - int(number)
    return ops.cast(step, "float32") - number


# Integer steps use Python's operators (step // n, step % n, step - n) and
# ops.relu rather than ops.floor_divide/maximum/minimum: Keras 3.15's PyTorch
# backend computes those in int32 for int64 tensors, wrapping steps >= 2**31.


def same_integer(step, number):
    """A whole ``number`` as a NumPy scalar of the integer dtype of ``step`` (for ops.clip)."""
    return np.asarray(int(number), keras.backend.standardize_dtype(step.dtype))


def floor_divide(step, number):
    """``floor(step / number)``, in integers when both are whole (exact), else in float32."""
    if _is_integer(step) and _whole(number):
        return step // int(number)
    return ops.floor(ops.cast(step, "float32") / number)


def cosine_tail(remaining):
    """``(1 + cos(pi * (1 - remaining))) / 2`` for ``remaining`` in [0, 1], written as
    ``sin(pi / 2 * remaining)**2`` so that it keeps its float32 relative precision
    down to the last step of a long decay (where ``1 + cos`` would cancel)."""
    return ops.square(ops.sin((math.pi / 2) * remaining))


class CycleLookup:
    """The cycle of every step, from a table of cycle starts, and per-cycle values.

    ``starts`` holds the float64 start of every cycle, ``starts[0] = 0``. An
    integer step ``s`` is in cycle ``i`` when ``ceil(starts[i]) <= s <
    ceil(starts[i + 1])``, compared in integers, so every restart happens at
    exactly its step; starts beyond the integer range of the steps are left
    out. Float steps are compared with the float32 starts.
    """

    def __init__(self, step, starts):
        dtype = keras.backend.standardize_dtype(step.dtype)
        if "int" in dtype:
            lows = np.ceil(starts)  # the first whole step of each cycle
            lows = lows[lows <= np.iinfo(dtype).max]
            self._late = lows - starts[: len(lows)]  # from the start to that step
            lows = lows.astype(dtype)
            # the last step of each cycle (the last cycle holds the largest integer)
            lasts = np.append(lows[1:] - 1, np.iinfo(dtype).max).astype(dtype)
        else:
            lows, self._late = starts.astype(dtype), np.zeros(1)
            lasts = np.append(np.nextafter(lows[1:], -np.inf), np.inf).astype(dtype)
        self.count = len(lows)
        if self.count <= ONE_HOT_CYCLES:
            column = ops.expand_dims(step, -1)
            self._hot = ops.logical_and(
                ops.greater_equal(column, lows), ops.less_equal(column, lasts)
            )
            self._hot_float = None
            start = ops.sum(ops.multiply(ops.cast(self._hot, dtype), lows), axis=-1)
        else:
            index = ops.searchsorted(lows, ops.reshape(step, (-1,)), side="right") - 1
            self._index = ops.reshape(index, ops.shape(step))
            start = ops.take(lows, self._index)
        into = ops.cast(step - start, "float32")
        if self._late.any():  # starts that are not whole steps
            into = into + self.floats(self._late)
        self.into = into  # the steps from the start of the cycle, float32

    def floats(self, table):
        """``table[cycle]`` (a float64 NumPy array, one value per cycle) as float32."""
        table = np.asarray(table[: self.count], dtype="float32")
        if self.count > ONE_HOT_CYCLES:
            return ops.take(table, self._index)
        if self._hot_float is None:
            self._hot_float = ops.cast(self._hot, "float32")
        return ops.sum(ops.multiply(self._hot_float, table), axis=-1)
