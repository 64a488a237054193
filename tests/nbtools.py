"""Find, execute and refresh the tutorial notebooks.

    python tests/nbtools.py run [--fast]     papermill every notebook into build/notebooks/
    python tests/nbtools.py refresh [NAME..]  re-execute committed notebooks in place (new stored outputs)

Used by `make run`, `make outputs` and the tests. `run` prints one line per
notebook (name when it starts; ok or failed and the seconds when it ends) and
nothing else: everything written to stderr while a notebook runs (its kernel's
own stderr: TensorFlow's C++ start-up lines, Jupyter's warnings; papermill's
messages; the error of a failed notebook) goes to build/logs/NAME.log.
"""

import argparse
import contextlib
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
BUILD = ROOT / "build" / "notebooks"
LOGS = ROOT / "build" / "logs"
FAST_PARAMETERS = Path(__file__).with_name("fast_parameters.json")
KERNEL = "python3"
CELL_TIMEOUT = 600
# Stop each kernel at once when its last cell's outputs are in, as nbval does (`shutdown_kernel(now=True)`).
# nbclient's default, "graceful", sends a shutdown request and waits: ipykernel 7.4.0 sometimes ignores it,
# and jupyter_client then waits about 3.4 s before it terminates the kernel ("Kernel is taking too long to
# finish, terminating"): 3 runs in 40 of a one-cell notebook here, none of 30 with "immediate".
SHUTDOWN = "immediate"


def notebooks():
    """The numbered tutorial notebooks, in order."""
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def fast_parameters():
    """{notebook file name: papermill parameters that make it run in seconds}."""
    return json.loads(FAST_PARAMETERS.read_text())


def execute(notebook, parameters=None, output_dir=BUILD, name=None):
    """Run one notebook (a path, or a NotebookNode with a name) with papermill into output_dir.

    Returns the output path.
    """
    import papermill

    output_dir.mkdir(parents=True, exist_ok=True)
    output = output_dir / (name or notebook.name)
    papermill.execute_notebook(
        notebook if name else str(notebook), str(output), parameters=parameters or {}, cwd=str(NOTEBOOKS),
        kernel_name=KERNEL, progress_bar=False, execution_timeout=CELL_TIMEOUT, shutdown_kernel=SHUTDOWN,
    )
    return output


def refresh(notebook):
    """Re-execute a committed notebook top to bottom in place, as a clean run."""
    import nbclient
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    client = nbclient.NotebookClient(
        nb, kernel_name=KERNEL, timeout=CELL_TIMEOUT, record_timing=False, shutdown_kernel=SHUTDOWN,
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    client.execute()
    nbformat.write(nb, notebook)


@contextlib.contextmanager
def stderr_to(path):
    """Send this process's file descriptor 2, which the kernels it starts inherit, to a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    sys.stderr.flush()
    saved = os.dup(2)
    with open(path, "w") as log:
        os.dup2(log.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


def _run(fast):
    parameters = fast_parameters() if fast else {}
    failed = 0
    for notebook in notebooks():
        log = LOGS / notebook.with_suffix(".log").name
        print(f"{notebook.name:<40} ", end="", flush=True)
        start = time.perf_counter()
        outcome, detail = "ok", ""
        with stderr_to(log):
            try:
                execute(notebook, parameters.get(notebook.name))
            except Exception as error:  # report every notebook, then fail
                failed += 1
                outcome, detail = "failed", f"  {type(error).__name__}, see {log.relative_to(ROOT)}"
                print(error, file=sys.stderr)
        print(f"{outcome:<6} {time.perf_counter() - start:6.1f} s{detail}", flush=True)
    return 1 if failed else 0


def _refresh(names):
    targets = [NOTEBOOKS / name for name in names] if names else notebooks()
    for notebook in targets:
        start = time.perf_counter()
        with stderr_to(LOGS / notebook.with_suffix(".log").name):
            refresh(notebook)
        print(f"{notebook.name:<40} refreshed {time.perf_counter() - start:6.1f} s", flush=True)
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="execute every notebook with papermill into build/notebooks/")
    run.add_argument("--fast", action="store_true", help="use the fast parameters of tests/fast_parameters.json")
    again = commands.add_parser("refresh", help="re-execute committed notebooks in place")
    again.add_argument("names", nargs="*", help="notebook file names (default: all)")
    args = parser.parse_args(argv)
    return _run(args.fast) if args.command == "run" else _refresh(args.names)


if __name__ == "__main__":
    sys.exit(main())
