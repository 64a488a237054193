"""The nbval set-up of `make test` catches a one-digit change in a stored LR table.

A small notebook is executed, stored, then checked by nbval in a separate pytest
run with this repository's configuration (pyproject.toml and conftest.py):
the untouched notebook passes, even with stderr noise that the stored copy does
not have; the same notebook with one digit of its table changed fails.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import nbclient
import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent

CELLS = [
    "import os\nos.environ['TF_CPP_MIN_LOG_LEVEL'] = '3'\nimport sys\n"
    "import keras\nfrom lrhelpers import lr_table",
    "decay = keras.optimizers.schedules.ExponentialDecay(0.1, 50, 0.1, staircase=True)\n"
    "print(lr_table(decay, range(0, 200, 25)))",
    "print('a library warning that varies between machines', file=sys.stderr)",
]


def nbval(path):
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-c", str(ROOT / "pyproject.toml"), "-q", str(path)],
        cwd=path.parent, capture_output=True, text=True, timeout=600,
    )


@pytest.fixture(scope="module")
def stored_notebook(tmp_path_factory):
    folder = tmp_path_factory.mktemp("nbval")
    shutil.copy(ROOT / "conftest.py", folder / "conftest.py")
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    nb.cells = [nbformat.v4.new_code_cell(code) for code in CELLS]
    nbclient.NotebookClient(nb, kernel_name="python3", timeout=600, resources={"metadata": {"path": str(folder)}}).execute()
    nb.cells[2].outputs = []  # the stored copy has no stderr
    path = folder / "table.ipynb"
    nbformat.write(nb, path)
    return path


def test_unchanged_notebook_passes(stored_notebook):
    result = nbval(stored_notebook)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 passed" in result.stdout


def test_one_changed_digit_fails(stored_notebook):
    nb = nbformat.read(stored_notebook, as_version=4)
    table = nb.cells[1].outputs[0]["text"]
    assert "  0.001\n" in table
    nb.cells[1].outputs[0]["text"] = table.replace("  0.001\n", "  0.002\n", 1)
    changed = stored_notebook.with_name("changed.ipynb")
    nbformat.write(nb, changed)
    result = nbval(changed)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "0.002" in result.stdout and "1 failed" in result.stdout
