"""Graph-safe, serialisable learning-rate schedules for Keras 3.

Every schedule is a pure function of the step written with ``keras.ops``: it
takes a scalar or a tensor of steps of any shape (int or float), works inside
``tf.function`` and XLA, and saves with the model.
"""

from .cosine import warmup_cosine_decay
from .cosine_restarts import CosineRestarts
from .cyclic import CyclicLR
from .join import Join
from .one_cycle import OneCycle
from .per_epoch import PerEpoch
from .warmup import Warmup
from .warmup_stable_decay import WarmupStableDecay

__all__ = [
    "CosineRestarts",
    "CyclicLR",
    "Join",
    "OneCycle",
    "PerEpoch",
    "Warmup",
    "WarmupStableDecay",
    "warmup_cosine_decay",
]
