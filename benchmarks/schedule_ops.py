"""Count the graph ops of every lrhelpers schedule beside the comparable Keras schedule.

    python benchmarks/schedule_ops.py

A schedule runs as a graph of small ops at every optimizer step; without XLA
each op is one dispatch (on a GPU, one kernel launch), so the op count is the
cost that does not scatter between runs the way timings do on a loaded
machine. Each schedule is traced with ``tf.function`` for a scalar int64 step
(what ``optimizer.iterations`` is on the TensorFlow backend) and the ops other
than Placeholder, Const, Identity and NoOp are counted. Needs the TensorFlow
backend. For the schedules that wrap others (Warmup, Join, PerEpoch) the
"inner" column is the count of the wrapped schedules traced alone, so the
difference is what the wrapper adds.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402

from lrhelpers.schedules import (  # noqa: E402
    CosineRestarts,
    CyclicLR,
    Join,
    OneCycle,
    PerEpoch,
    Warmup,
    WarmupStableDecay,
)

FREE = {"Placeholder", "Const", "Identity", "NoOp"}


def op_count(schedule):
    """Ops other than Placeholder/Const/Identity/NoOp of ``schedule`` traced for a scalar int64 step."""
    import tensorflow as tf

    traced = tf.function(schedule).get_concrete_function(tf.TensorSpec([], tf.int64))
    return sum(op.type not in FREE for op in traced.graph.get_operations())


def rows():
    """(name, lrhelpers schedule, inner schedules, Keras name, comparable Keras schedule or None)."""
    k = keras.optimizers.schedules
    exponential = k.ExponentialDecay(0.1, 1000, 0.5)
    cosine = k.CosineDecay(0.1, 9000)
    restarts = CosineRestarts(0.01, 1000)
    staircase = k.ExponentialDecay(0.1, 1, 0.5, staircase=True)
    return [
        ("CosineRestarts(cycle_mult=2)", CosineRestarts(0.1, 1000, cycle_mult=2.0), [],
         "CosineDecayRestarts(t_mul=2)", k.CosineDecayRestarts(0.1, 1000, t_mul=2.0)),
        ("CosineRestarts(cycle_mult=1)", CosineRestarts(0.1, 1000), [],
         "CosineDecayRestarts(t_mul=1)", k.CosineDecayRestarts(0.1, 1000, t_mul=1.0)),
        ("CosineRestarts(mult 2, decay, warmup)", CosineRestarts(0.1, 1000, 0.001, 2.0, 0.8, 100), [],
         "CosineDecayRestarts(t_mul=2, m_mul=0.8)",
         k.CosineDecayRestarts(0.1, 1000, t_mul=2.0, m_mul=0.8, alpha=0.01)),
        ("Warmup(CosineDecay)", Warmup(cosine, 1000), [cosine],
         "CosineDecay(warmup_steps=1000)", k.CosineDecay(0.0, 9000, warmup_target=0.1, warmup_steps=1000)),
        ("WarmupStableDecay(cosine)", WarmupStableDecay(0.1, 1000, 0, 9000, 0.0, "cosine"), [],
         "CosineDecay(warmup_steps=1000)", k.CosineDecay(0.0, 9000, warmup_target=0.1, warmup_steps=1000)),
        ("WarmupStableDecay(1-sqrt)", WarmupStableDecay(0.1, 1000, 8000, 1000, 0.0, "1-sqrt"), [],
         "", None),
        ("OneCycle", OneCycle(0.1, 10000), [], "", None),
        ("OneCycle(three_phase)", OneCycle(0.1, 10000, three_phase=True), [], "", None),
        ("CyclicLR(triangular2)", CyclicLR(0.001, 0.1, 2000, mode="triangular2"), [], "", None),
        ("CyclicLR(exp_range)", CyclicLR(0.001, 0.1, 2000, mode="exp_range", gamma=0.9999), [], "", None),
        ("Join(ExponentialDecay, CosineRestarts)", Join([exponential, restarts], [5000]),
         [exponential, restarts], "", None),
        ("PerEpoch(ExponentialDecay)", PerEpoch(staircase, 100), [staircase],
         "ExponentialDecay(staircase)", k.ExponentialDecay(0.1, 100, 0.5, staircase=True)),
        ("PerEpoch([values])", PerEpoch([0.1, 0.05, 0.01, 0.005], 100), [],
         "PiecewiseConstantDecay", k.PiecewiseConstantDecay([100, 200, 300], [0.1, 0.05, 0.01, 0.005])),
        ("PerEpoch([values], smooth)", PerEpoch([0.1, 0.05, 0.01, 0.005], 100, smooth=True), [], "", None),
    ]


def main():
    header = f"{'lrhelpers schedule':40} {'ops':>4} {'inner':>5}   {'comparable Keras schedule':40} {'ops':>4}"
    print(header)
    print("-" * len(header))
    for name, schedule, inner, keras_name, keras_schedule in rows():
        inner_ops = str(sum(op_count(s) for s in inner)) if inner else ""
        keras_ops = str(op_count(keras_schedule)) if keras_schedule is not None else ""
        print(f"{name:40} {op_count(schedule):>4} {inner_ops:>5}   {keras_name:40} {keras_ops:>4}")


if __name__ == "__main__":
    main()
