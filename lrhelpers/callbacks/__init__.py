"""Callbacks: record the learning rate, set it per batch, lower it on a plateau, check a resumed run."""

from .batch_learning_rate_scheduler import BatchLearningRateScheduler
from .learning_rate_logger import LearningRateLogger
from .reduce_lr_on_plateau import ReduceLROnPlateau
from .resume_check import ResumeCheck, check_resume

__all__ = [
    "BatchLearningRateScheduler",
    "LearningRateLogger",
    "ReduceLROnPlateau",
    "ResumeCheck",
    "check_resume",
]
