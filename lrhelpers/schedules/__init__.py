"""Graph-safe, serialisable learning-rate schedules for Keras 3.

Every schedule class here is a pure function of the step written with
``keras.ops``: it takes a scalar or a tensor of steps of any shape (int or
float), works inside ``tf.function`` and XLA, and saves with the model.

The exception is ``warmup_cosine_decay``, which returns Keras' own
``CosineDecay`` rather than a new class: that schedule branches with
``ops.cond`` and takes a scalar step only (all an optimizer passes it;
``lrhelpers.lr_values`` maps it over arrays of steps with
``keras.ops.vectorized_map``). Its vectorised equivalent, for a tensor of
steps of any shape, is ``WarmupStableDecay(peak, warmup_steps, 0,
decay_steps, floor, "cosine")``.
"""

from .cosine import warmup_cosine_decay
from .cosine_restarts import CosineRestarts
from .cyclic import CyclicLR
from .join import Join
from .one_cycle import OneCycle
from .per_epoch import PerEpoch
from .per_update import PerUpdate
from .scaled import Scaled
from .warmup import Warmup
from .warmup_stable_decay import WarmupStableDecay

__all__ = [
    "CosineRestarts",
    "CyclicLR",
    "Join",
    "OneCycle",
    "PerEpoch",
    "PerUpdate",
    "Scaled",
    "Warmup",
    "WarmupStableDecay",
    "warmup_cosine_decay",
]
