"""The examples in the schedules' docstrings run and print what they say."""

import doctest
import importlib

import keras
import pytest

from lrhelpers import lr_values

MODULES = [
    "cosine",
    "cosine_restarts",
    "cyclic",
    "join",
    "one_cycle",
    "per_epoch",
    "warmup",
    "warmup_stable_decay",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"lrhelpers.schedules.{name}")
    results = doctest.testmod(
        module,
        extraglobs={"keras": keras, "lr_values": lr_values},
        optionflags=doctest.NORMALIZE_WHITESPACE,
        raise_on_error=True,
    )
    assert results.attempted > 0
