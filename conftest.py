"""Test-session setup shared by the unit tests and the nbval notebook regression.

It is at the repository root so that it applies to notebooks/ as well as tests/
(pytest calls a conftest's collection and report hooks only for the paths under
its folder), also when pytest is given one notebook: `pytest notebooks/NN_x.ipynb`.

nbval compares every output of a cell, stderr included. Library warnings on
stderr differ between machines and versions, while the stored notebooks have
none (tests/test_notebook_hygiene.py), so stderr is left out of the comparison
the way nbval documents ("Skipping certain output types"): stdout and rich
outputs are still compared exactly.

`make test` spreads the test files over two xdist workers (--dist loadfile,
--no-loadscope-reorder), in the order set here: the slowest files first, so
that the short ones fill the gaps at the end. The seconds each file took are
kept in build/test-durations.json for the next run. A fresh clone has no such
record: tests/test-durations.json, a copy of one from the development machine
(`cp build/test-durations.json tests/` after a `make test`), gives the order
then; a file in neither goes after them (notebooks, then the test files that
start kernels or servers, then the rest).
"""

import gc
import json
import os
from pathlib import Path

import pytest

try:  # absent from the JAX and PyTorch test environments, which run no notebook
    import nbval.plugin
except ImportError:
    nbval = None

# The kernels keep TensorFlow's C++ start-up lines out of the notebooks (see that file).
os.environ.setdefault("IPYTHONDIR", str(Path(__file__).resolve().parent / "tests" / "ipython"))

ROOT = Path(__file__).resolve().parent
DURATIONS = ROOT / "build" / "test-durations.json"
COMMITTED_DURATIONS = ROOT / "tests" / "test-durations.json"  # the order of a fresh clone's first run
# Executed copies of notebooks at their full settings (minutes each) or on another machine: stored, not re-run
# (tests/test_notebook_hygiene.py checks that their code is the committed notebook's).
collect_ignore = ["notebooks/full_scale", "notebooks/other_machine"]
# Test files that start kernels, a pytest run or a server: slower than the plain unit tests.
SLOW_TEST_FILES = ("test_lab_browser.py", "test_nbval_regression.py", "test_notebook_parameters.py")


def pytest_collectstart(collector):
    if nbval is not None and isinstance(collector, nbval.plugin.IPyNbFile):
        collector.skip_compare += ("stderr",)


def _file_of(nodeid):
    return nodeid.split("::", 1)[0]


def _read_durations(path):
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def _recorded_durations():
    """{test file: seconds}: this checkout's last runs, else the committed record."""
    return {**_read_durations(COMMITTED_DURATIONS), **_read_durations(DURATIONS)}


def _rank(path, recorded):
    """Sort key: recorded seconds (longest first), else notebooks, then slow test files, then the rest."""
    if path in recorded:
        return (0, -recorded[path], path)
    name = path.rsplit("/", 1)[-1]
    kind = 0 if name.endswith(".ipynb") else 1 if name in SLOW_TEST_FILES else 2
    return (1, kind, path)


def pytest_collection_modifyitems(session, config, items):
    recorded = _recorded_durations()
    order = {path: _rank(path, recorded) for path in {_file_of(item.nodeid) for item in items}}
    items.sort(key=lambda item: order[_file_of(item.nodeid)])  # stable: cells stay in order


_seconds = {}


def pytest_runtest_logreport(report):
    path = _file_of(report.nodeid)
    _seconds[path] = _seconds.get(path, 0.0) + report.duration


def pytest_sessionfinish(session):
    # Only the xdist controller of a `make test`-style run (it receives every report) keeps a record:
    # plain runs, workers and the nested pytest runs of tests/test_nbval_regression.py do not.
    if not session.config.pluginmanager.hasplugin("dsession") or not _seconds:
        return
    recorded = _read_durations(DURATIONS)
    recorded.update({path: round(seconds, 1) for path, seconds in _seconds.items()})
    DURATIONS.parent.mkdir(parents=True, exist_ok=True)
    DURATIONS.write_text(json.dumps(recorded, indent=1, sort_keys=True) + "\n")


def pytest_unconfigure(config):
    # The last hook of every pytest process (controller, xdist workers, the nested runs). Python's final
    # garbage collection at exit walks every object still alive, TensorFlow's included; frozen objects
    # are skipped, and the operating system frees them. This took about 2.5 s off each two-worker run
    # of two small test files here, most of the time the workers needed to exit.
    gc.freeze()


@pytest.fixture(scope="session")
def tf():
    """The tensorflow module; skips the test on the JAX and PyTorch backends (session-scoped, so module
    fixtures can use it)."""
    import keras

    if keras.backend.backend() != "tensorflow":
        pytest.skip(f"needs TensorFlow (tf.function, tf.data, TensorBoard or tf.distribute); "
                    f"the backend is {keras.backend.backend()}")
    import tensorflow

    return tensorflow
