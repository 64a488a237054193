"""The learning-rate range test, done with true per-batch losses and a clean undo."""

import math

import keras
import matplotlib.pyplot as plt
import numpy as np

from . import _checks
from ._optimizer import has_settable_learning_rate


def _settable_optimizer(model):
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None:
        raise ValueError(
            "lr_range_test needs a compiled model: call `model.compile(optimizer, loss)` first. "
            f"Received: model={model.name!r} without an optimizer"
        )
    if not has_settable_learning_rate(optimizer):
        inner = getattr(optimizer, "inner_optimizer", optimizer)  # LossScaleOptimizer
        raise TypeError(
            "lr_range_test sets the optimizer's learning rate before every batch, but this "
            f"optimizer's learning rate is a {type(inner._learning_rate).__name__}, which is "
            "computed from the step and cannot be set. Compile the model with a float "
            "`learning_rate` for the range test, and with the schedule for training."
        )
    return optimizer


def _split(batch):
    """(x, y, sample_weight) from a dataset element, as Keras' fit unpacks it."""
    try:
        return keras.utils.unpack_x_y_sample_weight(batch)
    except ValueError:  # Keras' message prints the whole batch
        raise ValueError(
            "Argument `dataset` must yield batches `x`, `(x, y)` or `(x, y, sample_weight)`. "
            f"Received: a batch of {len(batch)} elements"
        ) from None


def _batches(dataset):
    """Batches of ``dataset``, starting over when it ends (once per pass, if it can)."""
    while True:
        iterator = iter(dataset)
        empty = True
        for batch in iterator:
            empty = False
            yield batch
        if empty or iterator is dataset:  # an empty dataset or a one-shot iterator
            return


class RangeTestResult:
    """What :func:`lr_range_test` measured.

    Attributes:
        learning_rates: NumPy array, the learning rate of each batch trained.
        losses: the loss of each of those batches, computed on the batch before
            its update (not the running mean Keras reports in ``logs``).
        smoothed_losses: ``losses`` smoothed by an exponentially weighted
            average centred on each step (weights ``smoothing ** |distance|``),
            which does not shift the curve towards higher learning rates as a
            one-way moving average does; losses above the divergence threshold
            are clipped to it first. NaN where the loss was not finite.
        suggested_lr: the suggested learning rate, one of ``learning_rates``:
            where the smoothed loss falls fastest (steepest negative slope
            against ``log(lr)``) before its minimum.
        min_loss_lr: the learning rate of the lowest smoothed loss. One tenth
            of it is the other common rule of thumb.
        suggested_index, min_loss_index: the indices of those two rates in
            ``learning_rates``.
        diverged: whether the test stopped early because the loss blew up.
        min_lr, max_lr, num_steps: the sweep that was asked for.
    """

    def __init__(self, learning_rates, losses, smoothed_losses, suggested_index, min_loss_index,
                 diverged, min_lr, max_lr, num_steps):
        self.learning_rates = np.asarray(learning_rates, dtype=np.float64)
        self.losses = np.asarray(losses, dtype=np.float64)
        self.smoothed_losses = np.asarray(smoothed_losses, dtype=np.float64)
        self.suggested_index = int(suggested_index)
        self.suggested_lr = float(self.learning_rates[self.suggested_index])
        self.min_loss_index = int(min_loss_index)
        self.min_loss_lr = float(self.learning_rates[self.min_loss_index])
        self.diverged = bool(diverged)
        self.min_lr = min_lr
        self.max_lr = max_lr
        self.num_steps = num_steps

    @property
    def steps(self):
        """How many batches were trained before the test stopped."""
        return len(self.losses)

    def __repr__(self):
        return (
            f"RangeTestResult(steps={self.steps}/{self.num_steps}, lr {self.min_lr:.3g} .. "
            f"{self.learning_rates[-1]:.3g}, suggested_lr={self.suggested_lr:.3g}, "
            f"min_loss_lr={self.min_loss_lr:.3g}, diverged={self.diverged})"
        )

    def plot(self, ax=None, raw=True, title="LR range test"):
        """Plot loss against learning rate (log scale) and mark the suggestion.

        Args:
            ax: a matplotlib Axes to draw on; a new figure's if None.
            raw: also draw the unsmoothed per-batch losses, faintly.
            title: the Axes title (None for none).

        Returns:
            The matplotlib Axes.
        """
        if ax is None:
            _, ax = plt.subplots(figsize=(6, 3.5))
        if raw:
            ax.plot(self.learning_rates, self.losses, color="C0", alpha=0.3, lw=0.8, label="loss per batch")
        ax.plot(self.learning_rates, self.smoothed_losses, color="C0", lw=1.8, label="smoothed loss")
        ax.axvline(self.suggested_lr, color="C3", ls="--", lw=1,
                   label=f"suggested lr {self.suggested_lr:.3g}")
        ax.axvline(self.min_loss_lr, color="grey", ls=":", lw=1,
                   label=f"min smoothed loss at {self.min_loss_lr:.3g}")
        finite = self.smoothed_losses[np.isfinite(self.smoothed_losses)]
        raw_losses = self.losses[np.isfinite(self.losses)]
        if finite.size:  # keep the interesting part: the divergence would squash it
            low = float(min(finite.min(), raw_losses.min() if raw else np.inf))
            high = float(max(finite[: self.min_loss_index + 1].max(),
                             np.median(raw_losses[:5]) if raw else -np.inf))
            margin = 0.1 * (high - low) or 0.1 * abs(high) or 0.1
            ax.set_ylim(low - margin, high + 3 * margin)
        ax.set_xscale("log")
        ax.set(xlabel="learning rate", ylabel="loss")
        if title:
            ax.set_title(title)
        ax.legend(fontsize=8)
        return ax


def _centred_average(values, smoothing):
    """Exponentially weighted average centred on each point: weights ``smoothing ** |i - j|``.

    A one-way moving average lags ``smoothing / (1 - smoothing)`` steps behind
    the losses (9 steps at 0.9, 49 at fastai's 0.98), which on an exponential sweep moves every
    feature of the curve to a learning rate several times too high. The
    centred average has the same smoothing and no lag; at the ends it is
    normalised by the weights that exist.
    """
    values = np.asarray(values, dtype=np.float64)
    ones = np.ones_like(values)

    def both_ways(x):
        forward, backward = np.empty_like(x), np.empty_like(x)
        total = 0.0
        for i in range(len(x)):
            total = smoothing * total + x[i]
            forward[i] = total
        total = 0.0
        for i in reversed(range(len(x))):
            total = smoothing * total + x[i]
            backward[i] = total
        return forward + backward - x

    return both_ways(values) / both_ways(ones)


def _suggest(log_lrs, smoothed):
    """(index of the steepest descent before the minimum, index of the minimum) of the smoothed loss.

    ``smoothed`` is NaN where the loss was not finite, and finite elsewhere.
    """
    lowest = int(np.nanargmin(smoothed))
    if lowest < 2:  # no descent to speak of: the lowest point itself
        return lowest, lowest
    slopes = np.gradient(smoothed[: lowest + 1], log_lrs[: lowest + 1])
    return int(np.argmin(slopes)), lowest


def lr_range_test(model, dataset, *, min_lr=1e-7, max_lr=10.0, num_steps=100, smoothing=0.9,
                  diverge_factor=4.0, restore=True):
    """Sweep the learning rate exponentially over batches and record the loss (Smith, 2015).

    Trains ``model`` on ``num_steps`` batches of ``dataset`` with the learning
    rate growing geometrically from ``min_lr`` to ``max_lr``, one rate per
    batch, and records the loss of every batch (``train_on_batch`` with the
    metrics reset, so each value is that batch's loss, not the running mean
    that Keras puts in ``logs``). While it runs, the losses are smoothed with a
    bias-corrected exponential moving average, and the sweep stops early once
    that average exceeds ``diverge_factor`` times its lowest value, or is not
    finite. The curve returned, and the suggestion, use an average with the
    same weights centred on each step, which does not lag behind the sweep.

    Afterwards the model's variables (weights, non-trainable state such as
    batch-norm statistics, dropout seeds), the optimizer's variables
    (iteration counter, learning rate, slots such as Adam's moments) and the
    compiled metrics' state are restored exactly, so the same model can then be
    trained from where it was. An optimizer that was not built yet is built
    first, so that its initial state is the one restored.

    Args:
        model: a compiled Keras model whose optimizer has a float learning
            rate (not a ``LearningRateSchedule``).
        dataset: a ``tf.data.Dataset`` or any re-iterable of batches ``x``,
            ``(x, y)`` or ``(x, y, sample_weight)``; it is started over when
            it ends before ``num_steps``. Shuffled batches give a fairer test.
        min_lr: the first learning rate, > 0.
        max_lr: the last learning rate, > ``min_lr``.
        num_steps: batches in the sweep, > 0.
        smoothing: 0 <= smoothing < 1 (0: no smoothing). The weight of the
            past in the moving average that watches for divergence, and the
            factor by which the weights of the centred average decrease per
            step of distance.
        diverge_factor: stop when the smoothed loss exceeds this many times
            its minimum, > 1.
        restore: put the variables back afterwards (default). With False the
            model keeps the state the sweep left it in.

    Returns:
        A :class:`RangeTestResult`: ``learning_rates``, ``losses``,
        ``smoothed_losses``, ``suggested_lr``, ``min_loss_lr``, ``diverged``
        and ``plot()``.

    Example:
        >>> model.compile(keras.optimizers.SGD(0.01, momentum=0.9), loss=..., metrics=[...])
        >>> result = lr_range_test(model, train_ds, min_lr=1e-5, max_lr=1.0, num_steps=200)
        >>> result.suggested_lr, result.plot()
    """
    min_lr = float(_checks.positive("min_lr", min_lr))
    max_lr = float(_checks.greater("max_lr", max_lr, min_lr, "min_lr"))
    num_steps = _checks.positive_integer("num_steps", num_steps)
    smoothing = float(_checks.below("smoothing", _checks.non_negative("smoothing", smoothing), 1))
    diverge_factor = float(_checks.greater("diverge_factor", diverge_factor, 1))
    if isinstance(dataset, (tuple, list, np.ndarray)) or not hasattr(dataset, "__iter__"):
        raise ValueError(
            "Argument `dataset` must be a tf.data.Dataset or an iterable of batches, e.g. "
            "`tf.data.Dataset.from_tensor_slices((x, y)).shuffle(n).batch(32)`. "
            f"Received: dataset of type {type(dataset).__name__}"
        )
    optimizer = _settable_optimizer(model)

    batches = _batches(dataset)
    first = next(batches, None)
    if first is None:
        raise ValueError("Argument `dataset` must yield at least one batch. Received: an empty dataset")
    x, y, sample_weight = _split(first)
    if not model.built:
        model(x)  # inference-mode call: creates the weights, changes no state
    if not optimizer.built:
        optimizer.build(model.trainable_variables)
    saved = [(v, keras.ops.convert_to_numpy(v)) for v in
             list(model.variables) + list(optimizer.variables) + list(model.metrics_variables)]

    sweep = np.geomspace(min_lr, max_lr, num_steps)  # exactly min_lr first and max_lr last
    lrs, losses, online = [], [], []
    average, best, diverged = 0.0, math.inf, False
    try:
        for i in range(num_steps):
            if i:
                batch = next(batches, None)
                if batch is None:
                    break
                x, y, sample_weight = _split(batch)
            lr = float(sweep[i])
            optimizer.learning_rate = lr
            logs = model.train_on_batch(x, y, sample_weight=sample_weight, return_dict=True)
            loss = float(logs["loss"])
            average = smoothing * average + (1 - smoothing) * loss
            value = average / (1 - smoothing ** (i + 1))
            lrs.append(lr)
            losses.append(loss)
            online.append(value)
            if not math.isfinite(value) or value > diverge_factor * best:
                diverged = True
                break
            best = min(best, value)
    finally:
        if restore:
            for variable, value in saved:
                variable.assign(value)
    if not math.isfinite(online[0]):
        raise ValueError(
            f"The loss was not finite from the first batch (lr={lrs[0]:g}): lower `min_lr` "
            "or check the model and the data."
        )
    finite = len(losses) if math.isfinite(losses[-1]) else len(losses) - 1
    kept = np.asarray(losses[:finite], dtype=np.float64)
    if best > 0:  # a last, exploding loss must not leak into its neighbours
        kept = np.minimum(kept, diverge_factor * best)
    smoothed = np.full(len(losses), np.nan)
    smoothed[:finite] = _centred_average(kept, smoothing)
    suggested, lowest = _suggest(np.log(lrs), smoothed)
    return RangeTestResult(lrs, losses, smoothed, suggested, lowest, diverged, min_lr, max_lr, num_steps)
