"""lrhelpers: learning-rate schedules, tables, plots and callbacks for Keras 3.

Copy this folder into your project, or ``pip install`` the lrschedules
repository; it needs only keras (with TensorFlow), numpy and matplotlib.
"""

from .batch_scaling import scale_learning_rate
from .batch_scheduler import BatchLearningRateScheduler
from .evaluate import lr_values
from .logger import LearningRateLogger
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
from .resume_check import ResumeCheck, check_resume
from .table import lr_table

__all__ = [
    "applied_learning_rates",
    "BatchLearningRateScheduler",
    "CosineRestarts",
    "CyclicLR",
    "Join",
    "LearningRateLogger",
    "OneCycle",
    "PerEpoch",
    "RangeTestResult",
    "ResumeCheck",
    "Warmup",
    "WarmupStableDecay",
    "check_resume",
    "lr_range_test",
    "lr_table",
    "lr_values",
    "plot_schedule",
    "scale_learning_rate",
    "warmup_cosine_decay",
]
