"""What changing the learning rate costs per training step: schedule objects vs callbacks vs eager.

    python benchmarks/schedule_overhead.py [OUTPUT_DIR] [--quick] [--steps N] [--rounds R]
                                           [--models mlp cnn] [--batch-size B]

Trains the same small models (an MLP and a small CNN with two convolutions) on
in-memory Fashion-MNIST-shaped batches, with the learning rate given as:

- a constant (the reference);
- Keras' built-in ``ExponentialDecay`` and ``CosineDecay`` (with warmup);
- every ``lrhelpers.schedules`` schedule;
- a per-batch Python callback that sets ``optimizer.learning_rate`` before every
  batch (the usual Stack Overflow answer), and ``lrhelpers.BatchLearningRateScheduler``;
- ``run_eagerly=True`` (what answers force so that a stateful Python schedule works);
- ``jit_compile=True`` (XLA), for the constant rate and every ``lrhelpers`` schedule.

Each variant is compiled and traced once, then all variants are timed in
rounds, interleaved (A B C ... then ... C B A, and again), each round one
``fit`` of ``--steps`` steps timed from the start to the end of its epoch
(leaving out ``fit``'s set-up); the reported time per step is the median over the
rounds, and the ratio is against the constant learning rate compiled the same
way (graph rows against the constant in graph mode, XLA rows against the
constant under XLA, eager rows against the constant in graph mode).

Training steps of a few milliseconds scatter by a few percent between
otherwise identical runs, more than a schedule costs. So the script also
measures the schedule alone: a compiled step that only advances a step counter
and evaluates the learning rate, for every schedule and for the constant,
interleaved in the same way; the difference is what the schedule adds to every
training step, reported in microseconds and as a share of each model's
constant-LR step.

Writes ``schedule_overhead.md`` (the Markdown table with the machine it ran
on), ``schedule_overhead.png`` (a bar chart) and ``schedule_overhead.json``
(raw times) to OUTPUT_DIR, by default build/benchmarks/ (not committed).
``--quick`` is a smoke test that finishes in seconds: the MLP only, eight of
the variants, a few steps, two rounds; its numbers mean nothing.
"""

import argparse
import json
import os
import pathlib
import platform
import statistics
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout without installing lrhelpers

import lrhelpers  # noqa: E402
from lrhelpers import schedules as lrs  # noqa: E402

DEFAULT_OUTPUT = ROOT / "build" / "benchmarks"
LR = 1e-3
TOTAL = 100_000  # schedule length in steps: longer than any run, so no schedule is in its flat tail


def decay_rule(step):
    """The Python rule of the callback variants: ExponentialDecay(1e-3, 1000, 0.5)."""
    return LR * 0.5 ** (step / 1000)


def lrhelpers_schedules():
    """One instance of every lrhelpers schedule, mid-cycle for the whole run."""
    return {
        "Warmup(CosineDecay)": lrs.Warmup(keras.optimizers.schedules.CosineDecay(LR, TOTAL), 1000),
        "CosineRestarts": lrs.CosineRestarts(LR, 500, 1e-5, cycle_mult=2.0, peak_decay=0.8, warmup_steps=50),
        "OneCycle": lrs.OneCycle(LR, TOTAL),
        "CyclicLR": lrs.CyclicLR(1e-4, LR, 200, mode="triangular2"),
        "WarmupStableDecay": lrs.WarmupStableDecay(LR, 100, TOTAL // 2, TOTAL // 2, 0.0, "1-sqrt"),
        "Join": lrs.Join([lrs.CyclicLR(1e-4, LR, 200), lrs.CosineRestarts(LR, 500)], [TOTAL // 2]),
        "PerEpoch": lrs.PerEpoch(list(np.geomspace(LR, LR / 100, 90)), 1000, smooth=True),
        "warmup_cosine_decay": lrs.warmup_cosine_decay(LR, 1000, TOTAL),
    }


class Variant:
    """One way of setting the learning rate: an optimizer's rate, compile options, callbacks."""

    def __init__(self, name, group, learning_rate=LR, callbacks=(), reference="constant LR", **compile_options):
        self.name = name
        self.group = group  # "reference", "keras", "lrhelpers", "callback", "eager", "xla"
        self.learning_rate = learning_rate
        self.make_callbacks = callbacks
        self.reference = reference
        self.compile_options = {"jit_compile": False, **compile_options}


def variants():
    built_in = {
        "ExponentialDecay": keras.optimizers.schedules.ExponentialDecay(LR, 1000, 0.5),
        "CosineDecay (warmup)": keras.optimizers.schedules.CosineDecay(0.0, TOTAL, warmup_target=LR, warmup_steps=1000),
    }
    out = [Variant("constant LR", "reference")]
    out += [Variant(f"keras {name}", "keras", schedule) for name, schedule in built_in.items()]
    out += [Variant(f"lrhelpers {name}", "lrhelpers", schedule) for name, schedule in lrhelpers_schedules().items()]

    def lambda_callback(model):
        def set_rate(batch, logs):
            model.optimizer.learning_rate = decay_rule(int(model.optimizer.iterations))
        return [keras.callbacks.LambdaCallback(on_train_batch_begin=set_rate)]

    out.append(Variant("per-batch Python callback", "callback", callbacks=lambda_callback))
    out.append(Variant("lrhelpers BatchLearningRateScheduler", "callback",
                       callbacks=lambda model: [lrhelpers.BatchLearningRateScheduler(lambda step, lr: decay_rule(step))]))
    out.append(Variant("constant LR, run_eagerly=True", "eager", run_eagerly=True))
    out.append(Variant("keras ExponentialDecay, run_eagerly=True", "eager",
                       keras.optimizers.schedules.ExponentialDecay(LR, 1000, 0.5), run_eagerly=True))
    out.append(Variant("constant LR, jit_compile=True", "xla", reference="constant LR", jit_compile=True))
    out += [Variant(f"lrhelpers {name}, jit_compile=True", "xla", schedule,
                    reference="constant LR, jit_compile=True", jit_compile=True)
            for name, schedule in lrhelpers_schedules().items()]
    return out


def mlp():
    return keras.Sequential([
        keras.Input((28, 28, 1)),
        keras.layers.Flatten(),
        keras.layers.Dense(256, activation="relu"),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dense(10),
    ])


def small_cnn():
    """A small CNN: two convolutions, a dense layer and dropout."""
    return keras.Sequential([
        keras.Input((28, 28, 1)),
        keras.layers.Conv2D(16, 3, activation="relu"),
        keras.layers.MaxPooling2D(),
        keras.layers.Conv2D(32, 3, activation="relu"),
        keras.layers.MaxPooling2D(),
        keras.layers.Flatten(),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dropout(0.5),
        keras.layers.Dense(10),
    ])


MODELS = {"mlp": mlp, "cnn": small_cnn}


def batches(batch_size, seed=0):
    """Fashion-MNIST-shaped random batches, in memory, repeated forever."""
    rng = np.random.default_rng(seed)
    n = batch_size * 32
    x = rng.random((n, 28, 28, 1), dtype=np.float32)
    y = rng.integers(0, 10, n).astype("int32")
    return tf.data.Dataset.from_tensor_slices((x, y)).batch(batch_size).cache().repeat().prefetch(2)


class EpochTimer(keras.callbacks.Callback):
    """Wall-clock time of the epoch's steps, without fit's set-up (epoch hooks add no per-batch work)."""

    def on_epoch_begin(self, epoch, logs=None):
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):  # logs arrive as Python numbers: the steps have run
        self.seconds = time.perf_counter() - self.start


class Run:
    """A compiled model of one variant, traced once, timed by fit calls of a fixed length."""

    def __init__(self, variant, make_model, dataset, steps):
        keras.utils.set_random_seed(0)
        self.variant = variant
        self.model = make_model()
        self.model.compile(
            optimizer=keras.optimizers.Adam(variant.learning_rate),
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            **variant.compile_options,
        )
        self.callbacks = variant.make_callbacks(self.model) if callable(variant.make_callbacks) else []
        self.dataset = dataset
        self.steps = steps
        self.timer = EpochTimer()
        self.seconds_per_step = []
        self.fit(min(steps, 5))  # trace (and XLA-compile) before timing

    def fit(self, steps):
        self.model.fit(self.dataset, epochs=1, steps_per_epoch=steps, verbose=0, shuffle=False,
                       callbacks=[*self.callbacks, self.timer])

    def time(self):
        self.fit(self.steps)
        self.seconds_per_step.append(self.timer.seconds / self.steps)

    @property
    def median(self):
        return statistics.median(self.seconds_per_step)


QUICK_VARIANTS = {
    "constant LR", "keras ExponentialDecay", "lrhelpers OneCycle", "per-batch Python callback",
    "lrhelpers BatchLearningRateScheduler", "constant LR, run_eagerly=True",
    "constant LR, jit_compile=True", "lrhelpers OneCycle, jit_compile=True",
}


def measure(model_name, steps, rounds, batch_size, quick=False, log=print):
    dataset = batches(batch_size)
    runs = []
    for variant in variants():
        if quick and variant.name not in QUICK_VARIANTS:
            continue
        start = time.perf_counter()
        runs.append(Run(variant, MODELS[model_name], dataset, steps))
        log(f"  [{model_name}] compiled and traced {variant.name} ({time.perf_counter() - start:.1f} s)")
    for r in range(rounds):
        order = runs if r % 2 == 0 else runs[::-1]  # A B C ... C B A ...: drift cancels out
        for run in order:
            run.time()
        log(f"  [{model_name}] round {r + 1}/{rounds} done")
    by_name = {run.variant.name: run.median for run in runs}
    return [
        {
            "variant": run.variant.name,
            "group": run.variant.group,
            "reference": run.variant.reference,
            "ms_per_step": 1000 * run.median,
            "ratio": run.median / by_name[run.variant.reference],
            "all_ms_per_step": [1000 * s for s in run.seconds_per_step],
        }
        for run in runs
    ]


def schedule_cost(rounds, calls):
    """Median microseconds per call of a compiled step that advances a counter and evaluates
    each graph-mode schedule; the constant learning rate's is the baseline."""
    step = tf.Variable(0, dtype=tf.int64)

    def compiled(learning_rate):
        @tf.function
        def one_step():
            step.assign_add(1)
            return learning_rate(step) if callable(learning_rate) else tf.constant(learning_rate)

        one_step()  # trace before timing
        return one_step

    steps = {v.name: compiled(v.learning_rate) for v in variants() if v.group in ("reference", "keras", "lrhelpers")}
    times = {name: [] for name in steps}
    for r in range(rounds):
        for name in steps if r % 2 == 0 else list(steps)[::-1]:
            start = time.perf_counter()
            for _ in range(calls):
                steps[name]()
            times[name].append((time.perf_counter() - start) / calls * 1e6)
    return {name: statistics.median(t) for name, t in times.items()}


def cost_markdown(cost, results):
    """The schedule-only table: microseconds added per step and share of each model's constant-LR step."""
    models = list(results)
    constant_ms = {m: next(r["ms_per_step"] for r in results[m] if r["variant"] == "constant LR") for m in models}
    baseline = cost["constant LR"]
    lines = [
        "| schedule | µs per step over a constant | " + " | ".join(f"share of the {m.upper()} step" for m in models) + " |",
        "|---|---:|" + "---:|" * len(models),
    ]
    for name, us in cost.items():
        if name == "constant LR":
            continue
        extra = us - baseline
        lines.append(f"| {name} | {extra:.1f} | " + " | ".join(f"{extra / (10 * constant_ms[m]):.2f}%" for m in models) + " |")
    lines.append("")
    lines.append(
        f"Schedule alone: median over the rounds of a compiled step that only advances the step counter and evaluates "
        f"the learning rate ({baseline:.1f} µs with a constant), minus that constant step; share: that difference "
        "divided by the model's constant-LR training step above."
    )
    return "\n".join(lines) + "\n"


def machine():
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "devices": ", ".join(sorted({d.device_type for d in tf.config.list_physical_devices()})),
    }


def markdown(results, info, args):
    models = list(results)
    header = "| variant | " + " | ".join(f"{m.upper()} ms/step | {m.upper()} × ref" for m in models) + " |"
    rule = "|---|" + "---:|---:|" * len(models)
    lines = [header, rule]
    for i, row in enumerate(results[models[0]]):
        cells = []
        for m in models:
            r = results[m][i]
            cells += [f"{r['ms_per_step']:.3f}", f"{r['ratio']:.3f}"]
        lines.append(f"| {row['variant']} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append(
        f"Median of {args.rounds} interleaved rounds of {args.steps} steps, batch size {args.batch_size}, Adam; "
        "× ref: time per step divided by the constant learning rate's, compiled the same way "
        "(XLA rows: by `constant LR, jit_compile=True`; all other rows: by `constant LR`). "
        f"Machine: {info['cpu']}, {info['cores']} cores ({info['devices']}), Python {info['python']}, "
        f"TensorFlow {info['tensorflow']}, Keras {info['keras']}. "
        "Reproduce: `.venv/bin/python benchmarks/schedule_overhead.py`."
    )
    return "\n".join(lines) + "\n"


def bar_chart(results, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    models = list(results)
    names = [r["variant"] for r in results[models[0]]]
    fig, axes = plt.subplots(1, len(models), figsize=(6 * len(models), 0.32 * len(names) + 1.5), squeeze=False)
    colors = {"reference": "grey", "keras": "C0", "lrhelpers": "C2", "callback": "C1", "eager": "C3", "xla": "C4"}
    for ax, m in zip(axes[0], models):
        ratios = [r["ratio"] for r in results[m]]
        ax.barh(range(len(names)), ratios, color=[colors[r["group"]] for r in results[m]])
        ax.axvline(1.0, color="black", lw=0.8)
        ax.axvline(1.02, color="black", lw=0.6, ls=":")
        ax.set_xscale("log")
        ticks = [t for t in (0.25, 0.5, 1, 2, 5, 10, 20, 50) if min(ratios) / 1.5 <= t <= max(ratios) * 1.5]
        ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
        ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        ax.set_yticks(range(len(names)), names if ax is axes[0][0] else [""] * len(names), fontsize=8)
        ax.invert_yaxis()
        ax.set_xlabel("time per step / constant LR (log; dotted: +2%)")
        ax.set_title(m.upper())
        for y, ratio in enumerate(ratios):
            ax.text(ratio, y, f" {ratio:.2f}×", va="center", fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", type=pathlib.Path, default=DEFAULT_OUTPUT,
                        help=f"folder for the table, chart and raw times (default: {DEFAULT_OUTPUT})")
    parser.add_argument("--quick", action="store_true", help="smoke test in seconds: MLP, 8 variants, few steps")
    parser.add_argument("--steps", type=int, default=50, help="steps per timed fit call (default 50)")
    parser.add_argument("--rounds", type=int, default=15, help="interleaved rounds (default 15)")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--models", nargs="+", choices=sorted(MODELS), default=["mlp", "cnn"])
    args = parser.parse_args(argv)
    if args.quick:
        args.steps, args.rounds, args.models, args.batch_size = 5, 2, ["mlp"], 16
    if args.steps <= 0 or args.rounds <= 0 or args.batch_size <= 0:
        parser.error("--steps, --rounds and --batch-size must be > 0")

    info = machine()
    print(f"{info['cpu']}, {info['cores']} cores, TensorFlow {info['tensorflow']}, Keras {info['keras']}")
    started = time.perf_counter()
    results = {m: measure(m, args.steps, args.rounds, args.batch_size, args.quick) for m in args.models}
    cost = schedule_cost(args.rounds, calls=50 if args.quick else 2000)
    table = markdown(results, info, args) + "\n" + cost_markdown(cost, results)

    args.output.mkdir(parents=True, exist_ok=True)
    (args.output / "schedule_overhead.md").write_text(table)
    (args.output / "schedule_overhead.json").write_text(
        json.dumps({"machine": info, "arguments": {k: v for k, v in vars(args).items() if k != "output"},
                    "results": results, "schedule_us_per_call": cost}, indent=1))
    bar_chart(results, args.output / "schedule_overhead.png")
    print()
    print(table)
    slow = [r["variant"] for m in results for r in results[m]
            if r["group"] == "lrhelpers" and r["ratio"] > 1.02]
    print(f"lrhelpers schedules over 2% slower than a constant LR: {', '.join(sorted(set(slow))) or 'none'}")
    constant_ms = min(r["ms_per_step"] for m in results for r in results[m] if r["variant"] == "constant LR")
    costly = [name for name, us in cost.items()
              if name.startswith("lrhelpers") and us - cost["constant LR"] > 20 * constant_ms]
    print(f"lrhelpers schedules whose own cost is over 2% of the fastest constant-LR step: {', '.join(costly) or 'none'}")
    print(f"wrote {args.output}/schedule_overhead.{{md,png,json}} in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
