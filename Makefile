# The README's commands: `make run`, `make test`, `make lab`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

export TF_CPP_MIN_LOG_LEVEL := 3
export JUPYTER_PREFER_ENV_PATH := 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1
# Kernels leave TensorFlow's C++ start-up lines out of the notebooks (see the file there).
export IPYTHONDIR := $(CURDIR)/tests/ipython

# `make lab` as root (a Docker container): Jupyter refuses to start without --allow-root.
LAB_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: install run test test-browser test-backends lab outputs clean

install: $(INSTALLED)

# Re-runs only when the pins or the package metadata change.
$(INSTALLED): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --requirement requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --editable .
	touch $@

# Execute every notebook with papermill into build/notebooks/ (the committed ones are never touched):
# one line per notebook; the kernels' stderr goes to build/logs/NAME.log.
run: $(INSTALLED)
	@$(PY) tests/nbtools.py run

# Helper unit tests, nbval regression of every notebook, papermill parameters of every notebook.
# Two workers; --dist loadfile keeps each notebook's cells (one kernel) on one worker, and
# --no-loadscope-reorder keeps the order that conftest.py sets (slowest files first).
# The browser test runs notebook 01 once more, in JupyterLab: `make test-browser` (CI runs both).
test: $(INSTALLED)
	$(PY) -m pytest --numprocesses 2 --dist loadfile --no-loadscope-reorder --ignore tests/test_lab_browser.py

# `make lab`'s server and notebook 01 in headless Chromium (Debian: apt-get install chromium).
test-browser: $(INSTALLED)
	$(PY) -m pytest tests/test_lab_browser.py

# The lrhelpers unit tests (not the notebooks) under KERAS_BACKEND=jax and torch, each in its own
# venv with CPU builds and the pins of requirements.txt, no TensorFlow; installed once, reused.
BACKEND_PINS = $(shell grep -E '^(keras|numpy|matplotlib|pytest|pytest-xdist|hypothesis)==' requirements.txt)
# Every unit test file except those about the notebooks, the environments and the package build.
BACKEND_TESTS := $(filter-out tests/test_environment_files.py tests/test_nbval_regression.py \
	tests/test_notebook_hygiene.py tests/test_notebook_parameters.py tests/test_lab_browser.py \
	tests/test_packaging.py,$(wildcard tests/test_*.py))
.venv-jax/.installed: requirements.txt
	$(PYTHON) -m venv .venv-jax
	.venv-jax/bin/python -m pip install --quiet $(BACKEND_PINS) jax==0.10.2 jaxlib==0.10.2
	touch $@
# torch 2.13.0 is the CPU build (about 750 MB); other releases on PyPI are CUDA builds of several GB.
.venv-torch/.installed: requirements.txt
	$(PYTHON) -m venv .venv-torch
	.venv-torch/bin/python -m pip install --quiet $(BACKEND_PINS) torch==2.13.0
	touch $@

test-backends: .venv-jax/.installed .venv-torch/.installed
	for backend in jax torch; do KERAS_BACKEND=$$backend PYTHONPATH=$(CURDIR) .venv-$$backend/bin/python -m pytest \
		-o addopts="-p no:cacheprovider" --numprocesses 2 $(BACKEND_TESTS) || exit 1; done

# LAB_ARGS: more options for the server, e.g. `make lab LAB_ARGS="--no-browser --port 8890"`.
lab: $(INSTALLED)
	$(VENV)/bin/jupyter lab $(LAB_ROOT) $(LAB_ARGS) notebooks/

# Re-execute the committed notebooks in place, top to bottom, after an intentional change.
outputs: $(INSTALLED)
	$(PY) tests/nbtools.py refresh $(NOTEBOOKS)

clean:
	rm -rf build $(VENV) .venv-jax .venv-torch
