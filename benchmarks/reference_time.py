"""Estimate the reference machine's times by running, side by side, the work it was timed on.

    python3 benchmarks/reference_time.py test [--rounds 1]
    python3 benchmarks/reference_time.py notebooks

`../shared/calibrate.py` times 10**7 Python additions; `make test` and the notebooks are
mostly TensorFlow work (kernels importing it, tracing `fit`'s step, training), and the
additions' factor does not carry over to that. This script measures the factor on the same
kind of work instead. The baseline is commit 7395212, which the reference 2-core machine
timed on 2026-12-01: `make test` 552 s (536 passed, 1 skipped; issue 14), and notebooks 01,
05, 07 and 08 at their defaults 154 s, 102 s, 119 s and 74 s (issue 10). The script checks it
out into a temporary git worktree and runs it with this checkout's .venv (the baseline's pins
are a subset of it; its own lrhelpers and kernel profile through PYTHONPATH and IPYTHONDIR).

- `test`: the baseline's test command (`pytest --numprocesses 2 --dist loadfile`, its
  Makefile's), then this checkout's `make test`, alternating, `--rounds` pairs and one more
  baseline run, so that a drift in the machine's speed shows. Each run's seconds are pytest's
  own figure; the estimate is 552 s times this checkout's time over the mean of the two
  baseline runs around it. A baseline run with failed tests still counts (7395212's notebook
  06 compares TensorBoard values that now and then differ from its stored ones), as long as
  it ran the reference's 536 tests.
- `notebooks`: papermill runs the baseline's four notebooks, then every notebook of this
  checkout, one at a time, timing each call (kernel start included). Each baseline notebook
  gives a ratio (seconds here over the reference's); a notebook of this checkout is estimated
  with the smallest and the largest of them, since the ratio depends on the kind of work.

Needs `make install` first and the datasets in $KERAS_HOME/datasets (README). On a machine
3 times as fast: `test` about 3 minutes per baseline run and 2 per `make test`; `notebooks`
about 5 minutes.
"""

import argparse
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
BASELINE = "7395212"
BASELINE_TEST = (552, "536 passed, 1 skipped")  # the reference machine's `make test` of the baseline
BASELINE_NOTEBOOKS = {  # the reference machine's seconds for these notebooks of the baseline
    "01_step_vs_epoch_decay.ipynb": 154,
    "05_cosine_restarts.ipynb": 102,
    "07_performance.ipynb": 119,
    "08_lr_range_test_and_one_cycle.ipynb": 74,
}
SUMMARY = re.compile(r"((?:\d+ failed, )?\d+ passed.*?) in ([\d.]+)s")


def environment(tree=None):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(TF_CPP_MIN_LOG_LEVEL="3", JUPYTER_PREFER_ENV_PATH="1", PYDEVD_DISABLE_FILE_VALIDATION="1",
               IPYTHONDIR=str((tree or ROOT) / "tests" / "ipython"))
    if tree is not None:
        env["PYTHONPATH"] = str(tree)
    return env


def run(command, cwd, env, allowed=(0,)):
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode not in allowed:
        sys.exit(f"{' '.join(map(str, command))} in {cwd} failed:\n{done.stdout[-3000:]}{done.stderr[-2000:]}")
    return done.stdout


def pytest_seconds(command, cwd, env, allowed=(0,)):
    """(pytest's summary, its seconds) of one test run; `allowed`: the exit codes accepted (1: failed tests)."""
    summary, seconds = SUMMARY.findall(run(command, cwd, env, allowed))[-1]
    return summary.strip("= "), float(seconds)


def counts(summary):
    """{"passed": 533, "failed": 3, ...} from pytest's summary line."""
    return {word: int(number) for number, word in re.findall(r"(\d+) (\w+)", summary)}


def compare_test(tree, rounds):
    baseline_seconds, baseline_result = BASELINE_TEST
    baseline_command = [PYTHON, "-m", "pytest", "--numprocesses", "2", "--dist", "loadfile", "-q"]
    baseline, current = [], []
    for index in range(2 * rounds + 1):
        if index % 2 == 0:
            # A failed test still counts (its time is spent): 7395212's notebook 06 compares TensorBoard
            # values that now and then differ from its stored ones. The number of tests must be the reference's.
            summary, seconds = pytest_seconds(baseline_command, tree, environment(tree), allowed=(0, 1))
            found, expected = counts(summary), counts(baseline_result)
            if found.get("passed", 0) + found.get("failed", 0) != expected["passed"] or found.get("skipped") != expected["skipped"]:
                sys.exit(f"the baseline gave {summary!r}, not the {baseline_result!r} the reference machine ran")
            baseline.append(seconds)
            print(f"baseline {BASELINE}, `pytest -n 2 --dist loadfile`: {seconds:6.1f} s ({summary})", flush=True)
        else:
            summary, seconds = pytest_seconds(["make", "test"], ROOT, environment())
            current.append(seconds)
            print(f"this checkout, `make test`:              {seconds:6.1f} s ({summary})", flush=True)
    for i, seconds in enumerate(current):
        around = (baseline[i] + baseline[i + 1]) / 2
        print(f"pair {i + 1}: this checkout / baseline = {seconds:.1f} / {around:.1f} = {seconds / around:.3f}; "
              f"reference machine: about {baseline_seconds * seconds / around:.0f} s "
              f"({baseline_seconds} s times that ratio)")


def notebook_seconds(path, cwd, env, output):
    start = time.perf_counter()
    run([PYTHON, "-m", "papermill", "--no-progress-bar", "--cwd", cwd, path, output], cwd, env)
    return time.perf_counter() - start


def compare_notebooks(tree, output):
    ratios = {}
    for name, reference in BASELINE_NOTEBOOKS.items():
        seconds = notebook_seconds(tree / "notebooks" / name, tree / "notebooks", environment(tree), output / name)
        ratios[name] = seconds / reference
        print(f"baseline {BASELINE} {name:<40} {seconds:6.1f} s here, {reference} s on the reference machine: "
              f"ratio {ratios[name]:.2f}", flush=True)
    low, high = min(ratios.values()), max(ratios.values())
    print(f"this checkout, at its defaults (reference machine: seconds here / {high:.2f} .. / {low:.2f}):")
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        seconds = notebook_seconds(path, ROOT / "notebooks", environment(), output / f"current_{path.name}")
        print(f"  {path.name:<40} {seconds:6.1f} s here; reference machine {seconds / high:5.0f} .. {seconds / low:3.0f} s",
              flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    test = commands.add_parser("test", help="`make test` against the baseline's")
    test.add_argument("--rounds", type=int, default=1, help="pairs of runs (default 1)")
    commands.add_parser("notebooks", help="every notebook against the baseline's four")
    args = parser.parse_args()
    if not PYTHON.exists():
        sys.exit("run `make install` first")
    with tempfile.TemporaryDirectory() as folder:
        tree = pathlib.Path(folder) / "baseline"
        subprocess.run(["git", "worktree", "add", "--quiet", "--detach", tree, BASELINE], cwd=ROOT, check=True)
        try:
            if args.command == "test":
                compare_test(tree, args.rounds)
            else:
                compare_notebooks(tree, pathlib.Path(folder))
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", tree], cwd=ROOT, check=True)


if __name__ == "__main__":
    main()
