"""A callback that records, and optionally prints, the learning rate per batch."""

import os
import warnings

import keras
import numpy as np

from .. import _checks
from .._optimizer import (
    accumulation_steps,
    current_learning_rate,
    has_settable_learning_rate,
    micro_batch_counter,
    next_update_step,
    schedule_of,
    schedule_values,
)

CSV_HEADER = "step,epoch,batch,learning_rate"
CSV_HEADER_ACCUMULATING = CSV_HEADER + ",micro_step"


def _csv_number(value):
    """The shortest text that reads back as the same float32 learning rate."""
    return str(np.float32(value))


class _ScalarEventWriter:
    """Writes one TensorBoard scalar per optimizer step, without the tensorboard package.

    ``tf.summary.scalar`` lives in the tensorboard package, which TensorFlow 2.21
    no longer installs; ``tf.summary.write`` with the scalars plugin's metadata
    writes the same event records and needs only TensorFlow.
    """

    def __init__(self, log_dir, tag):
        try:
            import tensorflow as tf
        except ImportError:
            raise ImportError(
                "LearningRateLogger(tensorboard_dir=...) writes the TensorBoard event file with "
                "TensorFlow, which is not installed here (Keras backend: "
                f"{keras.backend.backend()}). Install TensorFlow (`pip install tensorflow-cpu` is "
                "enough), or record the rates with csv_path= instead."
            ) from None

        self._tf = tf
        self.tag = tag
        self._writer = tf.summary.create_file_writer(str(log_dir))
        metadata = tf.compat.v1.SummaryMetadata()
        metadata.plugin_data.plugin_name = "scalars"
        metadata.data_class = 1  # DATA_CLASS_SCALAR
        self._metadata = metadata

    def write(self, steps, values):
        tf = self._tf
        # record_if(True): keras.callbacks.TensorBoard(update_freq=N) may have set a
        # condition of its own for the thread's default writer.
        with self._writer.as_default(), tf.summary.record_if(True):
            for step, value in zip(steps, values):
                tf.summary.write(
                    self.tag, tf.constant(value, tf.float32), step=int(step), metadata=self._metadata
                )

    def flush(self):
        self._writer.flush()


class LearningRateLogger(keras.callbacks.Callback):
    """Record the learning rate every optimizer update was made with.

    At the start of each batch the callback notes the optimizer's step
    counter; at its end, the updates that batch covered (more than one with
    ``steps_per_execution > 1``) are recorded, one row per update, with the
    learning rate each applied: the schedule's value at the counter Keras
    evaluated it at, or, for a plain learning rate, the value read at batch
    begin, before the update. Because the step is the optimizer's own
    counter, records continue correctly across several ``fit`` calls and
    after ``keras.models.load_model``. (The schedule is evaluated eagerly; a
    compiled, XLA train step may round the last bit of the rate differently.)
    This holds for a schedule that is a pure function of its ``step``
    argument, as Keras requires; a schedule with Python state (one that
    counts its own calls) is called again here, so the records show what it
    returns then, not the rate a compiled step applied: measure that with
    :func:`lrhelpers.applied_learning_rates`.

    With ``gradient_accumulation_steps=k`` a batch is a micro-batch and only
    every k-th one updates the weights. The logger records a row for each
    update, not for each batch: ``steps`` holds the update number
    (``optimizer.iterations``, 0, 1, 2, ...) and ``micro_steps`` the
    micro-batch counter the update was applied at, ``k * step + k - 1``,
    which is where Keras 3 evaluates a schedule (``optimizer._iterations``).
    A schedule written in updates therefore runs k times too fast; the rows
    show it, and :class:`lrhelpers.PerUpdate` fixes it. Without accumulation
    ``micro_steps`` equals ``steps``.

    It works under ``tf.distribute`` strategies (the counters are read with
    their values, not with ``int()``) and on the TensorFlow, JAX
    and PyTorch backends; only ``tensorboard_dir`` needs TensorFlow installed.

    A plain learning rate set per batch by another callback (for example
    :class:`BatchLearningRateScheduler`) is read correctly when that callback
    comes *before* the logger in ``callbacks``; the logger warns once when it
    sees the rate change between its own batch begin and batch end.

    What the records go to:

    - the arrays ``steps``, ``learning_rates``, ``epochs``, ``batches`` and
      ``micro_steps``;
    - the batch logs, as ``logs["learning_rate"]``: the rate of the last
      update the batch covered (a micro-batch that made no update leaves the
      logs alone). Callbacks after the logger see it, so
      ``keras.callbacks.TensorBoard(update_freq="batch")`` placed after it
      writes a ``batch_learning_rate`` scalar (that callback needs the
      ``tensorboard`` package, and numbers its batch steps from 1 in every
      ``fit`` call, one per ``steps_per_execution`` steps);
    - with ``csv_path``, a CSV file with one row per update:
      ``step,epoch,batch,learning_rate``, written as training goes; with
      gradient accumulation a fifth column, ``micro_step``;
    - with ``tensorboard_dir``, a TensorBoard event file with a scalar
      ``learning_rate`` at every optimizer update (x axis: the update number,
      so several ``fit`` calls and resumed runs line up). It needs
      TensorFlow (on the JAX and PyTorch backends too), not the
      ``tensorboard`` package;
    - with ``print_every=N``, a printout of ``iteration  lr`` whenever the
      global step reaches a multiple of N: ``iteration`` is the number of
      updates done so far and ``lr`` the learning rate the *next* update will
      use (without accumulation, what ``optimizer.learning_rate`` returns at
      the end of a batch; for a plain learning rate that a callback changes
      before the next batch, it is the value at the end of this one).

    Args:
        print_every: print every N steps; None (default) prints nothing.
        digits: significant digits of the printed learning rates.
        csv_path: a file to write the per-step CSV to; None writes none.
        append: with ``csv_path``, add to an existing file instead of
            replacing it in the first ``fit`` (later ``fit`` calls with the
            same logger always append). The header is written once.
        tensorboard_dir: a directory for a TensorBoard event file with the
            per-step learning rate; None writes none.
        logs_key: the key under which the learning rate is added to the batch
            logs; None leaves the logs alone.

    Attributes:
        steps: NumPy int array of the recorded optimizer updates
            (``optimizer.iterations`` before each).
        learning_rates: NumPy float array, the learning rate of each update.
        epochs: NumPy int array, the ``fit`` epoch of each update.
        batches: NumPy int array, the batch index within its epoch (with
            accumulation, of the micro-batch that made the update).
        micro_steps: NumPy int array, the micro-batch counter
            (``optimizer._iterations``) each update was applied at.

    Example:
        >>> logger = LearningRateLogger(print_every=10, csv_path="lr.csv")
        >>> model.fit(x, y, epochs=1, callbacks=[logger], verbose=0)
        >>> logger.learning_rates[:3]
    """

    def __init__(self, print_every=None, digits=6, *, csv_path=None, append=False,
                 tensorboard_dir=None, logs_key="learning_rate"):
        super().__init__()
        if print_every is not None:
            print_every = _checks.positive_integer("print_every", print_every)
        digits = _checks.digits("digits", digits)
        for name, value in (("csv_path", csv_path), ("tensorboard_dir", tensorboard_dir)):
            if value is not None and not isinstance(value, (str, os.PathLike)):
                raise ValueError(
                    f"Argument `{name}` must be a path (str or os.PathLike) or None. "
                    f"Received: {name}={value!r}"
                )
        if logs_key is not None and (not isinstance(logs_key, str) or not logs_key):
            raise ValueError(
                "Argument `logs_key` must be a non-empty string or None. "
                f"Received: logs_key={logs_key!r}"
            )
        self.print_every = print_every
        self.digits = digits
        self.csv_path = None if csv_path is None else os.fspath(csv_path)
        self.append = bool(append)
        self.tensorboard_dir = None if tensorboard_dir is None else os.fspath(tensorboard_dir)
        self.logs_key = logs_key
        self._steps = []
        self._learning_rates = []
        self._epochs = []
        self._batches = []
        self._micro_steps = []
        self._header_printed = False
        self._epoch = 0
        self._csv_file = None
        self._csv_started = False
        self._events = None
        self._warned_order = False
        self._schedule = None
        self._accumulation = 1
        if self.tensorboard_dir is not None:
            self._events = _ScalarEventWriter(self.tensorboard_dir, "learning_rate")

    @property
    def steps(self):
        return np.asarray(self._steps, dtype=np.int64)

    @property
    def learning_rates(self):
        return np.asarray(self._learning_rates, dtype=np.float64)

    @property
    def epochs(self):
        return np.asarray(self._epochs, dtype=np.int64)

    @property
    def batches(self):
        return np.asarray(self._batches, dtype=np.int64)

    @property
    def micro_steps(self):
        return np.asarray(self._micro_steps, dtype=np.int64)

    # -- outputs opened and closed around each fit ------------------------------------

    def on_train_begin(self, logs=None):
        if self._csv_file is not None:  # a previous fit ended with an exception
            self._csv_file.close()
        # The optimizer is fixed for the whole fit: look its schedule up once.
        optimizer = self.model.optimizer
        self._schedule = schedule_of(optimizer)
        self._accumulation = accumulation_steps(optimizer)
        if self.csv_path is not None:
            mode = "a" if (self.append or self._csv_started) else "w"
            # Line-buffered: every row is on disk when its batch ends, even if
            # training is interrupted by an exception.
            self._csv_file = open(self.csv_path, mode, buffering=1, encoding="utf-8", newline="")
            if self._csv_file.tell() == 0:
                header = CSV_HEADER if self._accumulation == 1 else CSV_HEADER_ACCUMULATING
                self._csv_file.write(header + "\n")
            self._csv_started = True
        if self._events is not None:  # a previous fit ended with an exception: on_train_end
            self._events.flush()      # did not flush the events of its last epoch

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = int(epoch)

    def on_epoch_end(self, epoch, logs=None):
        if self._events is not None:
            self._events.flush()

    def on_train_end(self, logs=None):
        if self._csv_file is not None:
            self._csv_file.close()
            self._csv_file = None
        if self._events is not None:
            self._events.flush()

    # -- per batch ------------------------------------------------------------------

    def on_train_batch_begin(self, batch, logs=None):
        optimizer = self.model.optimizer
        self._first_micro_step = micro_batch_counter(optimizer)
        self._first_batch = int(batch)
        if self._schedule is None:
            # A plain or callable learning rate: read it before the update. (For a
            # schedule, optimizer.learning_rate would evaluate it for nothing: the
            # rates are computed from the steps at batch end.)
            self._lr_before_update = current_learning_rate(optimizer)

    def on_train_batch_end(self, batch, logs=None):
        optimizer = self.model.optimizer
        k = self._accumulation
        covered = np.arange(self._first_micro_step, micro_batch_counter(optimizer))
        micro_steps = covered[(covered + 1) % k == 0]  # the micro-batches that made an update
        steps = micro_steps // k
        schedule = self._schedule
        if schedule is None:
            trained_with = np.full(steps.shape, self._lr_before_update)
            self._check_order(optimizer)
        else:
            trained_with = schedule_values(schedule, micro_steps)
        trained_with = [float(v) for v in trained_with]
        batches = [self._first_batch + int(m - self._first_micro_step) for m in micro_steps]
        self._steps.extend(int(s) for s in steps)
        self._learning_rates.extend(trained_with)
        self._epochs.extend([self._epoch] * steps.size)
        self._batches.extend(batches)
        self._micro_steps.extend(int(m) for m in micro_steps)
        if steps.size and self.logs_key is not None and isinstance(logs, dict):
            logs[self.logs_key] = trained_with[-1]
        if self._csv_file is not None and steps.size:
            extra = [""] * steps.size if k == 1 else [f",{int(m)}" for m in micro_steps]
            self._csv_file.write("".join(
                f"{int(s)},{self._epoch},{b},{_csv_number(v)}{e}\n"
                for s, b, v, e in zip(steps, batches, trained_with, extra)
            ))
        if self._events is not None and steps.size:
            self._events.write(steps, trained_with)
        if self.print_every is not None:
            self._print_reached(steps + 1, schedule, optimizer)

    def _check_order(self, optimizer):
        if self._warned_order or not has_settable_learning_rate(optimizer):
            return
        now = current_learning_rate(optimizer)
        if now != self._lr_before_update:
            self._warned_order = True
            warnings.warn(
                f"LearningRateLogger: the learning rate changed from {self._lr_before_update:.6g} "
                f"to {now:.6g} during the batch at step {self._first_micro_step}, between this "
                "callback's on_train_batch_begin and on_train_batch_end. The logger records "
                "the value read at batch begin; if another callback sets the learning rate at "
                "batch begin, put it before the LearningRateLogger in `callbacks`.",
                stacklevel=2,
            )

    def _print_reached(self, iterations, schedule, optimizer):
        due = iterations[iterations % self.print_every == 0]
        if due.size == 0:
            return
        # A second evaluation, on the few batches that print, rather than one call
        # over the covered steps plus the next one: a schedule that only takes
        # scalar steps (CosineDecay with warmup) would then go through
        # keras.ops.vectorized_map at every batch, slower and rounding differently.
        if schedule is None:
            upcoming = np.full(due.shape, current_learning_rate(optimizer))
        else:
            k = self._accumulation
            upcoming = schedule_values(schedule, next_update_step(k * due, k))
        if not self._header_printed:
            print("iteration  lr")
            self._header_printed = True
        for iteration, lr in zip(due, upcoming):
            print(f"{int(iteration):>9d}  {float(lr):.{self.digits}g}")
