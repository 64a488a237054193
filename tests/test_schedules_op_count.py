"""No heavier than Keras' own: graph ops per evaluation, counted by benchmarks/schedule_ops.py."""

import importlib.util
import pathlib

import keras
import pytest

from lrhelpers.schedules import CosineRestarts

SCRIPT = pathlib.Path(__file__).parents[1] / "benchmarks" / "schedule_ops.py"


def op_count(schedule):
    spec = importlib.util.spec_from_file_location("schedule_ops", SCRIPT)
    counter = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(counter)
    return counter.op_count(schedule)


@pytest.mark.parametrize(
    "ours, theirs",
    [
        (dict(cycle_mult=2.0), dict(t_mul=2.0)),
        (dict(), dict()),
        (dict(min_learning_rate=0.001, cycle_mult=2.0, peak_decay=0.8),
         dict(alpha=0.01, t_mul=2.0, m_mul=0.8)),
    ],
    ids=["cycle_mult=2", "cycle_mult=1", "floor-mult-decay"],
)
def test_cosine_restarts_no_more_ops_than_cosine_decay_restarts(ours, theirs, tf):
    keras_count = op_count(keras.optimizers.schedules.CosineDecayRestarts(0.1, 1000, **theirs))
    our_count = op_count(CosineRestarts(0.1, 1000, **ours))
    print(f"CosineRestarts {our_count} ops, CosineDecayRestarts {keras_count} ops")
    assert our_count <= keras_count
