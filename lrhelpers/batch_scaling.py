"""Scale a learning rate tuned at one batch size for another, by a named rule."""

import math

from . import _checks

_RULES = {
    # Goyal et al. 2017, "Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour"
    # (SGD with momentum, with a gradual warmup of 5 epochs).
    "linear": lambda ratio: ratio,
    # Malladi et al. 2022, "On the SDEs and Scaling Rules for Adaptive Gradient Algorithms"
    # (Adam, RMSprop); the gradient-variance argument goes back to Krizhevsky 2014.
    "sqrt": math.sqrt,
}


def scale_learning_rate(learning_rate, batch_size, base_batch_size, rule="linear"):
    """Return the learning rate for ``batch_size``, given one tuned at ``base_batch_size``.

    With ``k = batch_size / base_batch_size``::

        rule="linear":  lr * k          (Goyal et al. 2017, SGD with momentum)
        rule="sqrt":    lr * sqrt(k)    (Malladi et al. 2022, Adam and RMSprop)

    ``batch_size`` is the *global* batch: what one optimizer update averages
    over, i.e. the per-replica batch times the number of replicas (times the
    gradient accumulation steps). Both rules are rules of thumb for the
    start of a search, not guarantees; Goyal et al. pair the linear rule with a
    gradual warmup (``lrhelpers.Warmup``) because the scaled rate diverges at
    the start of training. The result is a Python float computed in double
    precision.

    Args:
        learning_rate: the rate tuned at ``base_batch_size``, > 0.
        batch_size: the global batch size to scale to, a positive integer.
        base_batch_size: the batch size ``learning_rate`` was tuned at, a
            positive integer.
        rule: ``"linear"`` or ``"sqrt"``.

    Example:
        >>> scale_learning_rate(0.1, batch_size=8192, base_batch_size=256)
        3.2
        >>> scale_learning_rate(1e-3, batch_size=1024, base_batch_size=256, rule="sqrt")
        0.002
    """
    learning_rate = _checks.positive("learning_rate", learning_rate)
    batch_size = _checks.positive_integer("batch_size", batch_size)
    base_batch_size = _checks.positive_integer("base_batch_size", base_batch_size)
    rule = _checks.choice("rule", rule, tuple(_RULES))
    return learning_rate * _RULES[rule](batch_size / base_batch_size)
