"""The lrhelpers folder copied alone into another project imports and works."""

import os
import pathlib
import shutil
import subprocess
import sys

import lrhelpers

SCRIPT = """
import sys
sys.path.insert(0, sys.argv[1])
import json, pathlib
import keras, numpy as np
import lrhelpers
from lrhelpers.schedules import CosineRestarts, Join, Warmup

copy = pathlib.Path(sys.argv[1]) / "lrhelpers"
assert pathlib.Path(lrhelpers.__file__).parent == copy
schedule = Join([Warmup(CosineRestarts(0.1, 10), 5), CosineRestarts(0.01, 20)], [100])
config = json.loads(json.dumps(keras.saving.serialize_keras_object(schedule)))
restored = keras.saving.deserialize_keras_object(config)
steps = np.arange(200)
values = lrhelpers.lr_values(schedule, steps)
np.testing.assert_array_equal(lrhelpers.lr_values(restored, steps), values)
assert values[0] == np.float32(0.0) and values[5] == np.float32(0.1)
print("ok", lrhelpers.__file__)
"""


def test_copied_folder_imports_and_works(tmp_path):
    source = pathlib.Path(lrhelpers.__file__).parent
    shutil.copytree(
        source, tmp_path / "lrhelpers", ignore=shutil.ignore_patterns("__pycache__")
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [sys.executable, "-I", "-c", SCRIPT, str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok " + str(tmp_path))
