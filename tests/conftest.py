"""Test-session setup shared by the unit tests and the nbval notebook regression.

nbval compares every output of a cell, stderr included. Library warnings on
stderr differ between machines and versions, while the stored notebooks have
none (tests/test_notebook_hygiene.py), so stderr is left out of the comparison:
stdout and rich outputs are still compared exactly.
"""

import os
from pathlib import Path

import nbval.plugin

# The kernels keep TensorFlow's C++ start-up lines out of the notebooks (see that file).
os.environ.setdefault("IPYTHONDIR", str(Path(__file__).with_name("ipython")))

_compared_streams = nbval.plugin.transform_streams_for_comparison


def _without_stderr(outputs):
    kept = [o for o in outputs if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
    return _compared_streams(kept)


nbval.plugin.transform_streams_for_comparison = _without_stderr
