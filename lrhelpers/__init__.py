"""lrhelpers: learning-rate schedules, tables, plots and callbacks for Keras 3.

Copy this folder into your project, or ``pip install`` the lrschedules
repository; it needs only keras (with any of its backends), numpy and matplotlib.
"""

# The one place of the version: pyproject.toml reads it (`dynamic = ["version"]`).
__version__ = "0.2.0"
# The oldest Keras lrhelpers works with; pyproject.toml's `keras>=` requirement must say the same
# (tests/test_packaging.py checks it).
MINIMUM_KERAS = "3.15.1"


def _require_keras(version, minimum=MINIMUM_KERAS):
    """Raise ImportError, saying what to do, when Keras `version` is older than `minimum`."""
    import re

    def release(text):
        match = re.match(r"\d+(\.\d+)*", text)
        return tuple(int(part) for part in match[0].split(".")) if match else ()

    if release(version) < release(minimum):
        raise ImportError(
            f"lrhelpers needs Keras >= {minimum} (Keras 3). Received: keras=={version}. "
            f'Upgrade it with `pip install --upgrade "keras>={minimum}"` and restart the kernel.'
        )


import keras as _keras  # noqa: E402

_require_keras(_keras.__version__)
del _keras

from .batch_scaling import scale_learning_rate
from .callbacks import (
    BatchLearningRateScheduler,
    LearningRateLogger,
    ReduceLROnPlateau,
    ResumeCheck,
    check_resume,
)
from .evaluate import lr_values
from .plot import plot_schedule
from .probe import applied_learning_rates
from .range_test import lr_range_test
from .range_test_result import RangeTestResult
from .schedules import (
    CosineRestarts,
    CyclicLR,
    Join,
    OneCycle,
    PerEpoch,
    PerUpdate,
    Scaled,
    Warmup,
    WarmupStableDecay,
    warmup_cosine_decay,
)
from .suggest import suggest_lr
from .table import lr_table

__all__ = [
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
    "applied_learning_rates",
    "check_resume",
    "lr_range_test",
    "lr_table",
    "lr_values",
    "plot_schedule",
    "scale_learning_rate",
    "suggest_lr",
    "warmup_cosine_decay",
]
