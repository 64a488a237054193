"""Time lr_values (one vectorised call) against a per-step Python loop.

    python benchmarks/schedule_eval.py [--loop-steps 1000] [--plot]

For every schedule of lrhelpers.schedules, prints the seconds lr_values needs
for 10**3 .. 10**7 steps next to the seconds a loop of ``float(schedule(step))``
needs. The loop runs for ``--loop-steps`` steps only (millions of eager calls
would take hours); its time for more steps is that per-step cost times the
number of steps, marked with "~". ``--plot`` also writes a log-log plot to
benchmarks/output/schedule_eval.png.
"""

import argparse
import os
import pathlib
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402

from lrhelpers import lr_values  # noqa: E402
from lrhelpers.schedules import (  # noqa: E402
    CosineRestarts,
    CyclicLR,
    Join,
    OneCycle,
    PerEpoch,
    Warmup,
    WarmupStableDecay,
)

SIZES = [10**3, 10**4, 10**5, 10**6, 10**7]
SCHEDULES = {
    "Warmup": Warmup(keras.optimizers.schedules.CosineDecay(0.1, 10**6), 10**4),
    "CosineRestarts": CosineRestarts(0.1, 1000, 0.001, 2.0, 0.8, 100),
    "OneCycle": OneCycle(0.1, 10**6, three_phase=True),
    "CyclicLR": CyclicLR(0.001, 0.1, 2000, mode="triangular2"),
    "WarmupStableDecay": WarmupStableDecay(0.1, 10**4, 8 * 10**5, 10**5, 0.0, "1-sqrt"),
    "Join": Join([CyclicLR(0.001, 0.1, 500), CosineRestarts(0.05, 10**4)], [10**5]),
    "PerEpoch": PerEpoch(list(np.geomspace(0.1, 0.001, 90)), 10**4, smooth=True),
}


def seconds(function):
    """Best of three wall-clock times."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def loop_seconds_per_step(schedule, steps):
    start = time.perf_counter()
    for step in range(steps):
        float(schedule(step))
    return (time.perf_counter() - start) / steps


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loop-steps", type=int, default=1000)
    parser.add_argument("--plot", action="store_true")
    args = parser.parse_args()

    results = {}
    print(
        f"{'schedule':18} {'steps':>9} {'lr_values s':>12} "
        f"{'loop s':>11} {'loop/lr_values':>15}"
    )
    for name, schedule in SCHEDULES.items():
        per_step = loop_seconds_per_step(schedule, args.loop_steps)
        rows = []
        for size in SIZES:
            steps = np.arange(size)
            vectorised = seconds(lambda: lr_values(schedule, steps))
            loop = per_step * size
            mark = " " if size <= args.loop_steps else "~"
            print(
                f"{name:18} {size:>9} {vectorised:>12.4f} {mark}{loop:>10.2f} "
                f"{mark}{loop / vectorised:>14.0f}"
            )
            rows.append((size, vectorised, loop))
        results[name] = rows
    print(f"~: loop time extrapolated from {args.loop_steps} measured steps")

    if args.plot:
        plot(results, args.loop_steps)


def plot(results, loop_steps):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(7, 5))
    for index, (name, rows) in enumerate(results.items()):
        sizes, vectorised, loop = map(np.array, zip(*rows))
        color = f"C{index}"
        axes.loglog(sizes, vectorised, "o-", color=color, label=f"{name} lr_values")
        axes.loglog(sizes, loop, "--", color=color, alpha=0.5)
    axes.set_xlabel("steps evaluated")
    axes.set_ylabel("seconds")
    axes.set_title(
        f"lr_values (solid) vs Python loop (dashed, extrapolated past {loop_steps})"
    )
    axes.legend(fontsize="small")
    output = pathlib.Path(__file__).parent / "output"
    output.mkdir(exist_ok=True)
    path = output / "schedule_eval.png"
    figure.savefig(path, dpi=120, bbox_inches="tight")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
