"""The nbval set-up of `make test` catches a one-digit change in a stored LR table.

A small notebook is checked by nbval in a separate pytest run with this
repository's configuration (pyproject.toml and conftest.py). Its stored outputs
are those of the same cells run in this process: an LR table, a cell that also
writes stderr noise the stored copy does not have, and the same table once more,
stored with one digit changed. nbval compares each cell on its own, in one
kernel: the untouched cells must pass, the stderr noise included, and the
changed one must fail, showing the changed digit. The kernel runs Keras' numpy
backend: the table does not need TensorFlow, whose start-up would be most of the
test's cost.
"""

import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent

SETUP = ("import os\nos.environ['TF_CPP_MIN_LOG_LEVEL'] = '3'\nimport sys\n"
         "import keras\nfrom lrhelpers import lr_table")
TABLE = ("decay = keras.optimizers.schedules.ExponentialDecay(0.1, 50, 0.1, staircase=True)\n"
         "print(lr_table(decay, range(0, 200, 25)))")
NOISE = "print('a library warning that varies between machines', file=sys.stderr)"
CHANGED = 3  # the index of the cell stored with one digit changed


def stdout_of(*sources):
    """What the cells print when run here, one after the other."""
    namespace, out = {}, io.StringIO()
    with contextlib.redirect_stdout(out):
        for source in sources:
            exec(source, namespace)
    return out.getvalue()


@pytest.fixture(scope="module")
def nbval_run(tmp_path_factory):
    """{cell index: PASSED or FAILED} and the output of one nbval run of the stored notebook."""
    folder = tmp_path_factory.mktemp("nbval")
    shutil.copy(ROOT / "conftest.py", folder / "conftest.py")
    table = stdout_of(SETUP, TABLE)
    assert "  0.001\n" in table
    changed = table.replace("  0.001\n", "  0.002\n", 1)

    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    # stored as run: numbered cells (nbval refuses outputs of a cell without an execution count)
    nb.cells = [nbformat.v4.new_code_cell(code, execution_count=i + 1) for i, code in enumerate((SETUP, TABLE, NOISE, TABLE))]
    for index, text in ((1, table), (CHANGED, changed)):
        nb.cells[index].outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
    path = folder / "table.ipynb"
    nbformat.write(nb, path)

    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-c", str(ROOT / "pyproject.toml"), "-vv", str(path)],
        cwd=folder, capture_output=True, text=True, timeout=600,
        env={**os.environ, "KERAS_BACKEND": "numpy"},  # inherited by the kernel
    )  # -vv: the whole of a differing output, not its first lines
    outcomes = {int(cell): outcome for cell, outcome in re.findall(r"::Cell (\d+) .*(PASSED|FAILED)", result.stdout)}
    return outcomes, result


def test_unchanged_cells_pass_even_with_stderr_noise(nbval_run):
    outcomes, result = nbval_run
    assert [outcomes.get(cell) for cell in range(CHANGED)] == ["PASSED"] * CHANGED, result.stdout + result.stderr


def test_one_changed_digit_fails(nbval_run):
    outcomes, result = nbval_run
    assert result.returncode == 1, result.stdout + result.stderr
    assert outcomes.get(CHANGED) == "FAILED" and "1 failed, 3 passed" in result.stdout, result.stdout
    assert "0.002" in result.stdout
