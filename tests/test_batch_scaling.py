"""scale_learning_rate: the linear and square-root rules, and its argument checks."""

import math

import pytest

from lrhelpers import scale_learning_rate


@pytest.mark.parametrize("batch_size, base, rule, expected", [
    (8192, 256, "linear", 0.1 * 32),  # Goyal et al.: 0.1 per 256 images, scaled to 8k
    (64, 256, "linear", 0.1 / 4),  # scaling down works the same way
    (1024, 256, "sqrt", 0.1 * 2),
    (512, 32, "sqrt", 0.1 * math.sqrt(16)),
    (256, 256, "sqrt", 0.1),
])
def test_rules(batch_size, base, rule, expected):
    assert scale_learning_rate(0.1, batch_size, base, rule=rule) == pytest.approx(expected, rel=1e-15)


def test_default_rule_is_linear():
    assert scale_learning_rate(0.05, 512, 32) == pytest.approx(0.8, rel=1e-15)


@pytest.mark.parametrize("arguments, message", [
    ((0.0, 64, 32), "Argument `learning_rate` must be > 0. Received: learning_rate=0.0"),
    ((0.1, 0, 32), "Argument `batch_size` must be a positive integer. Received: batch_size=0"),
    ((0.1, 64, 32.0), "Argument `base_batch_size` must be a positive integer. Received: base_batch_size=32.0"),
])
def test_rejects_bad_arguments(arguments, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        scale_learning_rate(*arguments)


def test_rejects_an_unknown_rule():
    with pytest.raises(ValueError, match="Argument `rule` must be one of 'linear', 'sqrt'. Received: rule=cubic"):
        scale_learning_rate(0.1, 64, 32, rule="cubic")
