"""One version and one Keras floor, the same in the package, pyproject.toml and the installed metadata.

.ci/run also builds the wheel, checks its file list (.ci/check_wheel.py), installs it into a
clean virtual environment and runs the docstring examples there (.ci/doctest_installed.py).
"""

import importlib.metadata
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import keras
import pytest

import lrhelpers

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_pyproject_takes_the_version_from_the_package():
    project = PYPROJECT["project"]
    assert "version" not in project and "version" in project["dynamic"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "lrhelpers.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", lrhelpers.__version__)


def test_installed_metadata_has_the_package_version():
    """The installation of this checkout (`make install`), not an .egg-info a wheel build left in it."""
    def url(distribution):
        return json.loads(distribution.read_text("direct_url.json") or "{}").get("url", "").rstrip("/")

    ours = [d for d in importlib.metadata.distributions(name="lrhelpers") if url(d) == ROOT.as_uri()]
    if not ours:
        found = [url(d) or "no direct_url.json" for d in importlib.metadata.distributions(name="lrhelpers")]
        pytest.skip(f"lrhelpers is not installed from this checkout ({found}): `make install`")
    assert [d.version for d in ours] == [lrhelpers.__version__]


def test_keras_floor_is_the_one_pyproject_requires():
    (keras_requirement,) = [d for d in PYPROJECT["project"]["dependencies"] if re.match(r"keras\b", d)]
    assert keras_requirement == f"keras>={lrhelpers.MINIMUM_KERAS}"


def test_installed_keras_is_above_the_floor():
    lrhelpers._require_keras(keras.__version__)  # raises below the floor


@pytest.mark.parametrize("version", ["3.5.0", "3.5", "3.15.1", "3.16.0.dev2026120103", "4.0.0"])
def test_versions_at_or_above_the_floor_pass(version):
    lrhelpers._require_keras(version, minimum="3.5")


@pytest.mark.parametrize("version", ["3.4.1", "3.0.0", "2.15.0", "3.5.0"])
def test_versions_below_the_floor_raise(version):
    with pytest.raises(ImportError, match=re.escape(f"needs Keras >= 3.6 (Keras 3). Received: keras=={version}")):
        lrhelpers._require_keras(version, minimum="3.6")


def test_import_stops_with_a_clear_message_on_keras_2():
    """`import lrhelpers` itself raises, before any submodule uses a Keras 3 API."""
    code = (
        "import sys, types\n"
        "sys.modules['keras'] = types.SimpleNamespace(__version__='2.15.0')\n"
        "import lrhelpers\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last == (
        f"ImportError: lrhelpers needs Keras >= {lrhelpers.MINIMUM_KERAS} (Keras 3). Received: keras==2.15.0. "
        f'Upgrade it with `pip install --upgrade "keras>={lrhelpers.MINIMUM_KERAS}"` and restart the kernel.'
    )
