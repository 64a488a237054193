"""fastai's four learning-rate suggestions, applied to a range-test curve as fastai's ``lr_find`` applies them."""

import numbers

import numpy as np

METHODS = ("valley", "slide", "steep", "minimum")
_FEWEST_POINTS = {"valley": 1, "slide": 16, "steep": 2, "minimum": 1}  # slide looks 15 points back


def _curve(learning_rates, losses):
    learning_rates = np.asarray(learning_rates, dtype=np.float64)
    losses = np.asarray(losses, dtype=np.float64)
    if learning_rates.ndim != 1 or learning_rates.size == 0:
        raise ValueError(
            "Argument `learning_rates` must be a non-empty 1-D sequence. "
            f"Received: learning_rates with shape {learning_rates.shape}"
        )
    if losses.shape != learning_rates.shape:
        raise ValueError(
            "Arguments `learning_rates` and `losses` must have the same length. "
            f"Received: {learning_rates.size} learning rates and losses with shape {losses.shape}"
        )
    if not (np.isfinite(learning_rates).all() and (learning_rates > 0).all()):
        raise ValueError(
            "Argument `learning_rates` must hold finite rates > 0. "
            f"Received: learning_rates with min {learning_rates.min()} and max {learning_rates.max()}"
        )
    return learning_rates, losses


def _window(losses, num_steps):
    """(first, stop): the part of the curve fastai's lr_find hands to a rule.

    It drops the first ``num_steps // 10`` points (of the sweep asked for, not of
    the points recorded), the last 5, and everything from the first NaN loss on.
    """
    first = num_steps // 10
    stop = max(first, len(losses) - 5)
    nan = np.flatnonzero(np.isnan(losses[first:stop]))
    if nan.size:
        stop = first + int(nan[0])
    return first, stop


def _valley(losses):
    """fastai's ``valley``: the index into ``losses``, with fastai's bookkeeping kept as it is.

    fastai finds the longest strictly decreasing subsequence (its first end
    if several are as long) and takes its start as ``end - length``, one
    point before the subsequence's first; the suggestion lies
    ``int(length / 3) + int(length / 6)`` points after that. When the longest
    run has two points and starts at the very first one, that index is -1:
    Python's, and fastai's, last point.
    """
    n = len(losses)
    lds = np.ones(n, dtype=np.int64)  # length of the longest decreasing subsequence ending at each point
    for i in range(1, n):
        higher = losses[:i] > losses[i]
        if higher.any():
            lds[i] = lds[:i][higher].max() + 1
    max_end = int(np.argmax(lds))
    max_start = max_end - int(lds[max_end]) if max_end else 0  # fastai leaves 0 when no run is longer than 1
    sections = (max_end - max_start) / 3
    index = max_start + int(sections) + int(sections / 2)
    return index % n


def _slide(losses):
    """fastai's ``slide`` (lr_diff=15, thresh=0.005): the index into ``losses``.

    Walks a pair of points 15 apart down from the end of the curve until the
    gradients (per point, not per log-rate) at the two differ by at most 0.005.
    """
    gradient = np.gradient(losses)  # float32, as fastai's NumPy call on its float32 losses
    right, left = len(losses) - 1, len(losses) - 16
    found = left
    while left >= 0 and abs(gradient[right] - gradient[left]) > 0.005:
        found = left
        right, left = right - 1, left - 1
    return found


def _steep(learning_rates, losses):
    """fastai's ``steep``: the left end of the steepest forward difference against log(lr)."""
    log_lrs = np.log(learning_rates.astype(np.float64)).astype(np.float32)
    slopes = (losses[1:] - losses[:-1]) / (log_lrs[1:] - log_lrs[:-1])
    return int(np.argmin(slopes))


def _suggestion(learning_rates, losses, method, num_steps):
    """(rate, index into the whole curve) of one rule, or None when too few points are left for it."""
    first, stop = _window(losses, num_steps)
    if stop - first < _FEWEST_POINTS[method]:
        return None
    # fastai's `tensor(...)` makes the curve float32 before a rule sees it: so do the rules here
    rates32 = learning_rates[first:stop].astype(np.float32)
    losses32 = losses[first:stop].astype(np.float32)
    if method == "valley":
        index = _valley(losses32)
    elif method == "slide":
        index = _slide(losses32)
    elif method == "steep":
        index = _steep(rates32, losses32)
    else:
        index = int(np.argmin(losses32))
    rate = float(learning_rates[first + index])
    return (rate / 10 if method == "minimum" else rate), first + index


def suggest_lr(learning_rates, losses, method="valley", *, num_steps=None):
    """A learning rate from a range-test curve by one of fastai's four rules.

    The rules are those of fastai's ``lr_find`` (``fastai.callback.schedule``),
    applied as ``lr_find`` applies them: it drops the first ``num_steps // 10``
    points and the last 5 of the curve, then everything from the first NaN loss
    on, and rounds the rest to float32 before a rule sees it. So the same
    curve gives fastai's numbers (``tests/reference/make_fastai_reference.py``
    records them):

    - ``"valley"`` (fastai's default): about half-way into the longest
      decreasing stretch of the loss (a strictly decreasing subsequence).
    - ``"slide"``: walking down from the end, the first rate at which the
      loss gradient (per point) differs from the one 15 points further by at
      most 0.005.
    - ``"steep"``: where the loss falls fastest against ``log(lr)``, as the
      left end of a forward difference, anywhere in the kept part of the curve.
    - ``"minimum"``: one tenth of the rate at the lowest loss.

    The rate returned is the one of ``learning_rates`` the rule picks (divided
    by 10 for ``"minimum"``) at full precision, where fastai returns it rounded
    to float32 (a relative difference below 6e-8).

    Args:
        learning_rates: the rate of each point of the curve, 1-D, all > 0.
        losses: the loss at each of those rates, as fastai records it: its
            smoothed loss (``RangeTestResult.smoothed_losses`` here).
        method: ``"valley"``, ``"slide"``, ``"steep"`` or ``"minimum"``.
        num_steps: how many steps the sweep was asked for (fastai's
            ``num_it``), which sets how many points are dropped at the start;
            ``len(losses)`` if None. It differs from that length when the
            sweep stopped early on divergence.

    Returns:
        The suggested learning rate, a float.

    Raises:
        ValueError: for a bad argument, or when fewer points are left after
            the drops than the rule needs (1 for valley and minimum, 2 for
            steep, 16 for slide), where fastai would fail with an IndexError.

    Example:
        >>> lrs = np.geomspace(1e-5, 1.0, 100)
        >>> losses = 2.0 - np.tanh(np.log10(lrs) + 2.5) + np.maximum(np.log10(lrs) + 1, 0) ** 2
        >>> round(suggest_lr(lrs, losses), 6)  # valley
        0.001874
        >>> round(suggest_lr(lrs, losses, method="minimum"), 6)  # 1/10 of the rate at the lowest loss
        0.012328
    """
    if method not in METHODS:
        raise ValueError(
            "Argument `method` must be one of " + ", ".join(map(repr, METHODS)) + f". Received: method={method!r}"
        )
    learning_rates, losses = _curve(learning_rates, losses)
    if num_steps is None:
        num_steps = len(losses)
    elif not isinstance(num_steps, numbers.Integral) or isinstance(num_steps, bool) or num_steps <= 0:
        raise ValueError(f"Argument `num_steps` must be a positive integer. Received: num_steps={num_steps!r}")
    found = _suggestion(learning_rates, losses, method, int(num_steps))
    if found is None:
        first, stop = _window(losses, int(num_steps))
        raise ValueError(
            f"suggest_lr(method={method!r}) needs at least {_FEWEST_POINTS[method]} points after dropping "
            f"the first num_steps // 10 = {int(num_steps) // 10}, the last 5 and any NaN tail, as fastai does. "
            f"Received: {len(losses)} points, of which {stop - first} are left"
        )
    return found[0]


def steepest_before_minimum(learning_rates, smoothed):
    """lrhelpers' own rule: (index of the steepest descent before the minimum, index of the minimum).

    Over the whole curve ``smoothed`` (NaN where the loss was not finite), the
    slope is taken by central differences against ``log(lr)`` among the points
    up to the lowest one; with fewer than 2 points before the minimum, both
    indices are the minimum's. Unlike fastai's ``steep``, nothing is dropped at
    either end and nothing past the minimum is looked at.
    """
    lowest = int(np.nanargmin(smoothed))
    if lowest < 2:  # no descent to speak of: the lowest point itself
        return lowest, lowest
    slopes = np.gradient(smoothed[: lowest + 1], np.log(learning_rates[: lowest + 1]))
    return int(np.argmin(slopes)), lowest
