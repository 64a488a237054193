"""suggest_lr gives fastai's numbers: reference values from fastai's own lr_find and rules.

tests/reference/make_fastai_reference.py ran fastai's ``Learner.lr_find`` with
``valley``, ``slide``, ``steep`` and ``minimum`` on each curve of
fastai_suggestions.json (synthetic curves, curves recorded by lr_range_test,
and the curve of a real fastai run) and recorded what it returned.
"""

import json
import pathlib

import numpy as np
import pytest

from lrhelpers import suggest_lr

REFERENCE = json.loads((pathlib.Path(__file__).parent / "reference" / "fastai_suggestions.json").read_text())
CASES = {case["name"]: case for case in REFERENCE["cases"]}
METHODS = ("valley", "slide", "steep", "minimum")


def curve(case):
    losses = np.array([np.nan if v is None else v for v in case["losses"]])
    return np.array(case["learning_rates"]), losses


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("name", sorted(CASES))
def test_same_suggestion_as_fastai(name, method):
    case = CASES[name]
    lrs, losses = curve(case)
    expected = case["fastai"][method]
    if isinstance(expected, dict):  # fastai failed on a curve too short for the rule
        with pytest.raises(ValueError, match=f"suggest_lr\\(method='{method}'\\) needs at least"):
            suggest_lr(lrs, losses, method, num_steps=case["num_steps"])
        return
    got = suggest_lr(lrs, losses, method, num_steps=case["num_steps"])
    divisor = 10 if method == "minimum" else 1
    picked = np.flatnonzero(lrs / divisor == got)  # one of the swept rates (a tenth of it), at full precision
    assert picked.size == 1
    # fastai returns the rate rounded to float32 (a tenth of that for minimum): the same rate
    assert float(np.float32(lrs[picked[0]])) / divisor == expected
    assert got == pytest.approx(expected, rel=1e-7)


def test_reference_covers_the_cases_the_rules_differ_on():
    # the four rules disagree on most curves, so a rule swapped for another would fail above
    differing = [c for c in CASES.values() if all(isinstance(v, float) for v in c["fastai"].values())
                 and len(set(c["fastai"].values())) == 4]
    assert len(differing) >= 10
    assert {"nan_tail", "nan_inside", "stopped_early", "linear_sweep", "valley_index_minus_one",
            "fastai_lr_find_regression_adam"} <= set(CASES)


def test_default_method_is_valley():
    lrs, losses = curve(CASES["valley_noise_seed0"])
    assert suggest_lr(lrs, losses) == suggest_lr(lrs, losses, "valley")


def test_num_steps_sets_how_many_points_are_dropped_at_the_start():
    # fastai drops num_it // 10 points of the sweep asked for, not of the points recorded
    case = CASES["stopped_early"]
    lrs, losses = curve(case)
    assert len(lrs) == 70 and case["num_steps"] == 100
    tail = suggest_lr(lrs, losses, "minimum", num_steps=100)
    assert tail * 10 == lrs[10 + int(np.argmin(np.float32(losses[10:-5])))]
    assert suggest_lr(lrs, losses, "minimum") * 10 == lrs[7 + int(np.argmin(np.float32(losses[7:-5])))]


@pytest.mark.parametrize(
    "args, kwargs, message",
    [
        (([1e-3, 1e-2], [1.0, 2.0]), {"method": "fastest"},
         "Argument `method` must be one of 'valley', 'slide', 'steep', 'minimum'. Received: method='fastest'"),
        (([1e-3, 1e-2], [1.0]), {},
         "Arguments `learning_rates` and `losses` must have the same length. "
         "Received: 2 learning rates and losses with shape (1,)"),
        (([], []), {}, "Argument `learning_rates` must be a non-empty 1-D sequence. "
                       "Received: learning_rates with shape (0,)"),
        (([0.0, 1e-2], [1.0, 2.0]), {}, "Argument `learning_rates` must hold finite rates > 0. "
                                        "Received: learning_rates with min 0.0 and max 0.01"),
        (([1e-3, 1e-2], [1.0, 2.0]), {"num_steps": 0},
         "Argument `num_steps` must be a positive integer. Received: num_steps=0"),
        ((np.geomspace(1e-3, 1, 12), np.ones(12)), {"method": "slide"},
         "suggest_lr(method='slide') needs at least 16 points after dropping the first num_steps // 10 = 1, "
         "the last 5 and any NaN tail, as fastai does. Received: 12 points, of which 6 are left"),
    ],
)
def test_bad_arguments_raise_value_error(args, kwargs, message):
    with pytest.raises(ValueError) as info:
        suggest_lr(*args, **kwargs)
    assert str(info.value) == message
