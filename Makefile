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

.PHONY: install run test lab outputs clean

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

lab: $(INSTALLED)
	$(VENV)/bin/jupyter lab notebooks/

# Re-execute the committed notebooks in place, top to bottom, after an intentional change.
outputs: $(INSTALLED)
	$(PY) tests/nbtools.py refresh $(NOTEBOOKS)

clean:
	rm -rf build $(VENV)
