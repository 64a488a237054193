"""lrhelpers: learning-rate schedules, tables, plots and callbacks for Keras 3.

Copy this folder into your project, or ``pip install`` the lrschedules
repository; it needs only keras (with TensorFlow), numpy and matplotlib.
"""

from .evaluate import lr_values
from .plot import plot_schedule
from .probe import applied_learning_rates
from .range_test import RangeTestResult, lr_range_test
from .schedules import (
    CosineRestarts,
    CyclicLR,
    Join,
    OneCycle,
    PerEpoch,
    Warmup,
    WarmupStableDecay,
    warmup_cosine_decay,
)
from .table import lr_table
from .callbacks import (
    BatchLearningRateScheduler,
    LearningRateLogger,
    ReduceLROnPlateau,
    ResumeCheck,
    check_resume,
)
from .schedules import PerUpdate, Scaled

__all__ = [
    "applied_learning_rates",
    "BatchLearningRateScheduler",
    "CosineRestarts",
    "CyclicLR",
    "Join",
    "LearningRateLogger",
    "OneCycle",
    "PerEpoch",
    "PerUpdate",
    "RangeTestResult",
    "ReduceLROnPlateau",
    "ResumeCheck",
    "Scaled",
    "Warmup",
    "WarmupStableDecay",
    "check_resume",
    "lr_range_test",
    "lr_table",
    "lr_values",
    "plot_schedule",
    "warmup_cosine_decay",
]
