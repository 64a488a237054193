"""OneCycle, CyclicLR and CosineRestarts against PyTorch's schedulers.

The PyTorch values come from tests/reference/torch_schedules.json, written by
tests/reference/make_torch_reference.py; when torch is installed the same
comparison also runs live.
"""

import importlib.util
import json
import pathlib

import numpy as np
import pytest
from schedule_cases import assert_lr_close

from lrhelpers import lr_values
from lrhelpers.schedules import CosineRestarts, CyclicLR, OneCycle

REFERENCE = pathlib.Path(__file__).parent / "reference"


def ours(scheduler, kwargs, base_lr):
    """The lrhelpers schedule configured like the PyTorch scheduler."""
    if scheduler == "OneCycleLR":
        return OneCycle(
            kwargs["max_lr"],
            kwargs["total_steps"],
            kwargs.get("pct_start", 0.3),
            kwargs.get("div_factor", 25.0),
            kwargs.get("final_div_factor", 1e4),
            kwargs.get("anneal_strategy", "cos"),
            kwargs.get("three_phase", False),
        )
    if scheduler == "CyclicLR":
        return CyclicLR(
            kwargs["base_lr"],
            kwargs["max_lr"],
            kwargs.get("step_size_up", 2000),
            kwargs.get("step_size_down"),
            kwargs.get("mode", "triangular"),
            kwargs.get("gamma", 1.0),
        )
    return CosineRestarts(
        base_lr,
        kwargs["T_0"],
        kwargs.get("eta_min", 0.0),
        cycle_mult=kwargs.get("T_mult", 1),
    )


def compare(reference):
    for case in reference["cases"]:
        expected = np.array(case["lr"])
        schedule = ours(case["scheduler"], case["kwargs"], reference["base_lr"])
        assert_lr_close(lr_values(schedule, np.arange(len(expected))), expected)


def test_matches_the_recorded_pytorch_values():
    reference = json.loads((REFERENCE / "torch_schedules.json").read_text())
    assert {case["scheduler"] for case in reference["cases"]} == {
        "OneCycleLR",
        "CyclicLR",
        "CosineAnnealingWarmRestarts",
    }
    compare(reference)


def test_matches_pytorch_live():
    pytest.importorskip("torch")
    path = REFERENCE / "make_torch_reference.py"
    spec = importlib.util.spec_from_file_location("make_torch_reference", path)
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    compare(generator.reference())
