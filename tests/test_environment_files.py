"""requirements.txt holds the pins; the conda and Binder environments must mirror them."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
# What the notebooks need to open and run; Binder may leave out the test tools.
RUNTIME = {"tensorflow", "keras", "tensorboard", "numpy", "matplotlib", "jupyterlab", "ipykernel"}
# Binder installs the CPU-only build of TensorFlow, released with the same versions.
SAME_PACKAGE = {"tensorflow-cpu": "tensorflow"}


def pins(lines):
    """{name: version} of `name==version` lines; anything else is an error."""
    result = {}
    for line in lines:
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)==([A-Za-z0-9_.+-]+)", line.strip())
        assert match, f"not an exact pin: {line!r}"
        name = match[1].lower().replace("_", "-")
        result[SAME_PACKAGE.get(name, name)] = match[2]
    return result


def requirements():
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    return pins(line for line in lines if line.strip() and not line.startswith("#"))


def conda(path):
    """(python version, {name: version} of the pip section) of a conda environment file."""
    env = yaml.safe_load((ROOT / path).read_text())
    python = [d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python=")]
    pip = [d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert len(python) == 1 and len(pip) == 1, f"{path}: needs one python=X and one pip section"
    return python[0].split("=", 1)[1], pins(pip[0])


def test_requirements_pin_the_stack():
    pinned = requirements()
    assert {"tensorflow", "keras", "jupyterlab", "nbval", "papermill", "matplotlib", "pytest"} <= set(pinned)
    assert pinned["tensorflow"].startswith("2.21.")
    assert pinned["keras"].startswith("3.")
    assert pinned["jupyterlab"].startswith("4.")


def test_conda_environment_mirrors_requirements():
    _, pinned = conda("environment.yml")
    assert pinned == requirements()


def test_binder_environment_is_a_lean_subset_with_the_same_pins():
    _, pinned = conda("binder/environment.yml")
    required = requirements()
    assert set(pinned) == RUNTIME
    assert {name: required[name] for name in pinned} == pinned
    assert "tensorflow-cpu" in (ROOT / "binder/environment.yml").read_text()


def test_python_versions_agree():
    conda_python, _ = conda("environment.yml")
    binder_python, _ = conda("binder/environment.yml")
    assert conda_python == binder_python
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    minimum = tuple(int(p) for p in requires.removeprefix(">=").split("."))
    assert tuple(int(p) for p in conda_python.split(".")) >= minimum


def test_binder_post_build_installs_lrhelpers():
    script = (ROOT / "binder/postBuild").read_text()
    assert re.search(r"pip install .*--editable \.$", script, re.MULTILINE)
