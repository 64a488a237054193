"""lrhelpers: learning-rate schedules, tables, plots and callbacks for Keras 3.

Copy this folder into your project, or ``pip install`` the lrschedules
repository; it needs only keras (with TensorFlow), numpy and matplotlib.
"""

from .evaluate import lr_values
from .logger import LearningRateLogger
from .plot import plot_schedule
from .range_test import RangeTestResult, lr_range_test
from .table import lr_table

__all__ = ["LearningRateLogger", "lr_table", "lr_values", "plot_schedule"]
__all__ += ["RangeTestResult", "lr_range_test"]
