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

.PHONY: install run test test-backends lab outputs clean

install: $(INSTALLED)

# Re-runs only when the pins or the package metadata change.
$(INSTALLED): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --requirement requirements.txt
	$(PY) -m pip install --quiet --no-deps --editable .
	touch $@

# Execute every notebook with papermill into build/notebooks/ (the committed ones are never touched).
run: $(INSTALLED)
	$(PY) tests/nbtools.py run

# Helper unit tests, nbval regression of every notebook, papermill run of every notebook with fast parameters.
# Two workers; --dist loadfile keeps each notebook's cells (one kernel) on one worker.
test: $(INSTALLED)
	$(PY) -m pytest --numprocesses 2 --dist loadfile

# The lrhelpers unit tests (not the notebooks) under KERAS_BACKEND=jax and torch, each in its own
# venv with CPU builds and the pins of requirements.txt, no TensorFlow; installed once, reused.
BACKEND_PINS = $(shell grep -E '^(keras|numpy|matplotlib|pytest|pytest-xdist|hypothesis)==' requirements.txt)
# Not yet: the callbacks' and lr_range_test's tests, until they run on every backend.
NOT_YET_ON_EVERY_BACKEND := tests/test_batch_scheduler.py tests/test_learning_rate_logger.py \
	tests/test_range_test.py tests/test_resume.py
BACKEND_TESTS := $(filter-out tests/test_environment_files.py tests/test_nbval_regression.py \
	tests/test_notebook_hygiene.py tests/test_notebooks_fast.py $(NOT_YET_ON_EVERY_BACKEND),$(wildcard tests/test_*.py))
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

lab: $(INSTALLED)
	$(VENV)/bin/jupyter lab notebooks/

# Re-execute the committed notebooks in place, top to bottom, after an intentional change.
outputs: $(INSTALLED)
	$(PY) tests/nbtools.py refresh $(NOTEBOOKS)

clean:
	rm -rf build $(VENV) .venv-jax .venv-torch
