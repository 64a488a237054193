"""Run the docstring examples of the installed lrhelpers (from outside the repository).

    cd /somewhere/else && python /path/to/.ci/doctest_installed.py

Checks first that `lrhelpers` is imported from this interpreter's environment, not
from a checkout, and that its version is the installed distribution's. Modules whose
docstring examples are fragments of a training script (they use a `model` they do not
define) are listed in FRAGMENTS and left out; every other module must have examples,
and they must pass.
"""

import doctest
import importlib
import importlib.metadata
import pkgutil
import sys
from pathlib import Path

import keras
import numpy

import lrhelpers

FRAGMENTS = {
    "callbacks.batch_learning_rate_scheduler", "callbacks.learning_rate_logger", "callbacks.reduce_lr_on_plateau",
    "callbacks.resume_check", "plot", "range_test",
}
NO_EXAMPLES = {"_batches", "_checks", "_optimizer", "callbacks", "schedules", "schedules._steps", "range_test_result"}  # private helpers, packages

location = Path(lrhelpers.__file__).resolve()
assert location.is_relative_to(Path(sys.prefix).resolve()), f"lrhelpers imported from {location}, not from {sys.prefix}"
assert lrhelpers.__version__ == importlib.metadata.version("lrhelpers"), lrhelpers.__version__
print(f"lrhelpers {lrhelpers.__version__} from {location.parent}")

failed = 0
for module_info in pkgutil.walk_packages(lrhelpers.__path__, "lrhelpers."):
    short = module_info.name.removeprefix("lrhelpers.")
    if short in FRAGMENTS or short in NO_EXAMPLES:
        continue
    module = importlib.import_module(module_info.name)
    result = doctest.testmod(module, extraglobs={"keras": keras, "np": numpy, "lr_values": lrhelpers.lr_values},
                             optionflags=doctest.NORMALIZE_WHITESPACE)
    print(f"{module_info.name}: {result.attempted} examples, {result.failed} failed")
    failed += result.failed + (result.attempted == 0)
sys.exit(1 if failed else 0)
