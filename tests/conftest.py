"""Test-session setup shared by the unit tests and the nbval notebook regression.

nbval compares every output of a cell, stderr included. Library warnings on
stderr differ between machines and versions, while the stored notebooks have
none (tests/test_notebook_hygiene.py), so stderr is left out of the comparison:
stdout and rich outputs are still compared exactly.

The unit tests also run under KERAS_BACKEND=jax and torch (`make test-backends`,
in environments without TensorFlow or nbval): a test that needs TensorFlow
itself takes the ``tf`` fixture below, which skips it there with the reason.
"""

import os
from pathlib import Path

import pytest

# The kernels keep TensorFlow's C++ start-up lines out of the notebooks (see that file).
os.environ.setdefault("IPYTHONDIR", str(Path(__file__).with_name("ipython")))

try:  # absent from the JAX and PyTorch test environments, which run no notebook
    import nbval.plugin
except ImportError:
    nbval = None

if nbval is not None:
    _compared_streams = nbval.plugin.transform_streams_for_comparison

    def _without_stderr(outputs):
        kept = [o for o in outputs if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
        return _compared_streams(kept)

    nbval.plugin.transform_streams_for_comparison = _without_stderr


@pytest.fixture
def tf():
    """The tensorflow module; skips the test on the JAX and PyTorch backends."""
    import keras

    if keras.backend.backend() != "tensorflow":
        pytest.skip(f"needs TensorFlow (tf.function, tf.data, TensorBoard or tf.distribute); "
                    f"the backend is {keras.backend.backend()}")
    import tensorflow

    return tensorflow
