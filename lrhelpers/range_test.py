"""The learning-rate range test, done with true per-batch losses and a clean undo."""

import contextlib
import math

import keras
import numpy as np

from . import _batches, _checks
from ._optimizer import has_settable_learning_rate
from .range_test_result import RangeTestResult
from .suggest import steepest_before_minimum


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


def _numpy(variable):
    """A copy of the variable's value as a NumPy array, without a warning on any backend.

    Read through a tensor, which works for tf.distribute's mirrored and
    sync-on-read variables too, then with the tensor's own ``.numpy()`` on
    TensorFlow and torch: ``keras.ops.convert_to_numpy`` calls ``np.array``,
    on which NumPy 2 warns for their tensors (and for Keras' JAX variables).
    """
    value = keras.ops.convert_to_tensor(variable)
    if keras.backend.backend() == "torch":
        return value.detach().cpu().numpy().copy()
    if keras.backend.backend() == "tensorflow":
        return value.numpy()
    return np.array(value)


def _torch_random_state():
    """torch's global generators on the torch backend (None elsewhere).

    Keras' Dropout without a seed draws its masks from them there, not from a
    seed variable of the model, so they are part of what the sweep changes.
    """
    if keras.backend.backend() != "torch":
        return None
    import torch

    return torch.get_rng_state(), torch.cuda.get_rng_state_all() if torch.cuda.is_initialized() else None


def _set_torch_random_state(state):
    if state is not None:
        import torch

        torch.set_rng_state(state[0])
        if state[1] is not None:
            torch.cuda.set_rng_state_all(state[1])


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


def lr_range_test(model, dataset, *, min_lr=1e-7, max_lr=10.0, num_steps=100, mode="exponential",
                  smoothing=0.9, diverge_factor=4.0, restore=True, batch_size=None):
    """Sweep the learning rate over batches and record the loss of each batch.

    Trains ``model`` on ``num_steps`` batches of ``dataset`` with the learning
    rate growing from ``min_lr`` to ``max_lr``, one rate per batch:
    geometrically (``mode="exponential"``, ``np.geomspace``: the last rate is
    ``max_lr``, where fastai's ``lr_find`` ends one factor short of its
    ``end_lr``) or linearly (``mode="linear"``, Leslie Smith's original test and
    pytorch-lr-finder's ``step_mode="linear"``). It records the loss of every
    batch: the metrics are reset before each ``train_on_batch``, so each value
    is that batch's loss, computed before its update, not the running mean
    that Keras puts in ``logs`` (on any Keras version, whether or not its
    ``train_on_batch`` resets them). While it runs, the losses are smoothed
    with a bias-corrected exponential moving average of weight ``smoothing``
    (fastai's ``lr_find`` watches one of weight 0.98, and records it as its
    curve), and the sweep stops early once that average exceeds
    ``diverge_factor`` times its lowest value, or is not finite. The curve
    returned, and the suggestions, use an average with the same weights
    centred on each step, which does not lag behind the sweep.

    Afterwards the model's variables (weights, non-trainable state such as
    batch-norm statistics, dropout seeds), the optimizer's variables
    (iteration counter, learning rate, slots such as Adam's moments) and the
    compiled metrics' state are restored exactly, so the same model can then be
    trained from where it was. An optimizer that was not built yet is built
    first, so that its initial state is the one restored. On the torch
    backend torch's global random generators, from which Keras' unseeded
    Dropout draws, are restored too. It runs on the
    TensorFlow, JAX and PyTorch backends, and under a ``tf.distribute``
    strategy (a model built and compiled in ``strategy.scope()``).

    Args:
        model: a compiled Keras model whose optimizer has a float learning
            rate (not a ``LearningRateSchedule``).
        dataset: what ``fit`` trains on: a ``tf.data.Dataset``, a
            ``keras.utils.PyDataset``, a torch ``DataLoader`` or any other
            re-iterable of batches ``x``, ``(x, y)`` or ``(x, y,
            sample_weight)`` (TensorFlow and torch tensors are converted to
            NumPy on the other backends); or NumPy arrays ``x``, ``(x, y)`` or
            ``(x, y, sample_weight)`` with ``batch_size``, cut into batches in
            order. It is started over when it ends before ``num_steps``.
            Shuffled batches give a fairer test.
        min_lr: the first learning rate, > 0.
        max_lr: the last learning rate, > ``min_lr``.
        num_steps: batches in the sweep, > 0.
        mode: ``"exponential"`` (default) or ``"linear"``.
        smoothing: 0 <= smoothing < 1 (0: no smoothing). The weight of the
            past in the moving average that watches for divergence, and the
            factor by which the weights of the centred average decrease per
            step of distance.
        diverge_factor: stop when the smoothed loss exceeds this many times
            its minimum, > 1.
        restore: put the variables back afterwards (default). With False the
            model keeps the state the sweep left it in.
        batch_size: rows per batch when ``dataset`` is arrays; only then.

    Returns:
        A :class:`RangeTestResult`: ``learning_rates``, ``losses``,
        ``smoothed_losses``, ``suggested_lr`` (steepest descent before the
        minimum), ``min_loss_lr``, ``suggestions`` (fastai's ``valley``,
        ``slide``, ``steep`` and ``minimum``), ``diverged`` and ``plot()``.

    Example:
        >>> model.compile(keras.optimizers.SGD(0.01, momentum=0.9), loss=..., metrics=[...])
        >>> result = lr_range_test(model, train_ds, min_lr=1e-5, max_lr=1.0, num_steps=200)
        >>> result.suggested_lr, result.suggestions["valley"], result.plot()
    """
    min_lr = float(_checks.positive("min_lr", min_lr))
    max_lr = float(_checks.greater("max_lr", max_lr, min_lr, "min_lr"))
    num_steps = _checks.positive_integer("num_steps", num_steps)
    mode = _checks.choice("mode", mode, ("exponential", "linear"))
    smoothing = float(_checks.below("smoothing", _checks.non_negative("smoothing", smoothing), 1))
    diverge_factor = float(_checks.greater("diverge_factor", diverge_factor, 1))
    if batch_size is not None:
        batch_size = _checks.positive_integer("batch_size", batch_size)
    dataset = _batches.check(dataset, batch_size)
    optimizer = _settable_optimizer(model)

    batches = _batches.passes(dataset)
    first = next(batches, None)
    if first is None:
        raise ValueError("Argument `dataset` must yield at least one batch. Received: an empty dataset")
    x, y, sample_weight = _batches.split(first)
    strategy = getattr(model, "distribute_strategy", None)  # TensorFlow backend: the model's tf.distribute
    with strategy.scope() if strategy is not None else contextlib.nullcontext():  # variables made in its scope
        if not model.built:
            model(x)  # inference-mode call: creates the weights, changes no state
        if not optimizer.built:
            optimizer.build(model.trainable_variables)
    saved = [(v, _numpy(v)) for v in
             list(model.variables) + list(optimizer.variables) + list(model.metrics_variables)]
    random_state = _torch_random_state()

    # both include min_lr and max_lr exactly, as first and last rate
    sweep = (np.geomspace if mode == "exponential" else np.linspace)(min_lr, max_lr, num_steps)
    lrs, losses, online = [], [], []
    average, best, diverged = 0.0, math.inf, False
    try:
        for i in range(num_steps):
            if i:
                batch = next(batches, None)
                if batch is None:
                    break
                x, y, sample_weight = _batches.split(batch)
            lr = float(sweep[i])
            optimizer.learning_rate = lr
            model.reset_metrics()  # the loss of this batch alone, whatever train_on_batch does
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
            _set_torch_random_state(random_state)
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
    suggested, lowest = steepest_before_minimum(np.asarray(lrs), smoothed)
    return RangeTestResult(lrs, losses, smoothed, suggested, lowest, diverged, min_lr, max_lr, num_steps,
                           mode)
