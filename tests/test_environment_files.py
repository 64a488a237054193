"""requirements.txt holds the pins; the conda and Binder environments must mirror them.

Binder is built by repo2docker from binder/requirements.txt (pip), binder/runtime.txt
(the Python) and binder/postBuild (installs lrhelpers); .ci/run builds the same
environment the way repo2docker does and executes a notebook in it.
"""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
# What the notebooks need to open and run (and papermill, for their parameters); Binder leaves out the test tools.
RUNTIME = {"tensorflow", "keras", "tensorboard", "jax", "jaxlib", "numpy", "matplotlib", "jupyterlab", "ipykernel", "papermill"}
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


def requirements(path="requirements.txt"):
    lines = (ROOT / path).read_text().splitlines()
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


def test_binder_requirements_are_a_lean_subset_with_the_same_pins():
    pinned = requirements("binder/requirements.txt")
    required = requirements()
    assert set(pinned) == RUNTIME
    assert {name: required[name] for name in pinned} == pinned
    assert "tensorflow-cpu" in (ROOT / "binder/requirements.txt").read_text()


def test_binder_is_pip_only():
    """repo2docker reads environment.yml before requirements.txt: a conda file in binder/ would win."""
    assert sorted(p.name for p in (ROOT / "binder").iterdir()) == ["postBuild", "requirements.txt", "runtime.txt"]


def binder_python():
    runtime = (ROOT / "binder/runtime.txt").read_text().strip()
    match = re.fullmatch(r"python-(3\.\d+)", runtime)
    assert match, f"binder/runtime.txt: expected python-3.N, got {runtime!r}"
    return match[1]


def test_python_versions_agree():
    conda_python, _ = conda("environment.yml")
    assert conda_python == binder_python()
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    minimum = tuple(int(p) for p in requires.removeprefix(">=").split("."))
    assert tuple(int(p) for p in conda_python.split(".")) >= minimum


def test_binder_post_build_installs_lrhelpers():
    path = ROOT / "binder/postBuild"
    assert path.stat().st_mode & 0o111, "executable: .ci/run runs it as ./binder/postBuild, like repo2docker"
    script = path.read_text()
    assert script.startswith("#!/usr/bin/env bash\n")
    assert re.search(r"^python -m pip install .*--no-deps .*--editable \.$", script, re.MULTILINE)
