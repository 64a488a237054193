"""Batches for lr_range_test from what users of each backend train on."""

import keras
import numpy as np


def _is_array(value):
    return isinstance(value, np.ndarray) or (hasattr(value, "shape") and hasattr(value, "dtype"))


def _array_batches(arrays, batch_size):
    """Consecutive slices of ``batch_size`` rows of ``x`` or of each of ``(x, y[, sample_weight])``."""
    single = _is_array(arrays)
    arrays = (arrays,) if single else tuple(arrays)
    if not 1 <= len(arrays) <= 3:
        raise ValueError(
            "Argument `dataset` must be arrays `x`, `(x, y)` or `(x, y, sample_weight)` when `batch_size` "
            f"is given. Received: a {type(arrays).__name__} of {len(arrays)} elements"
        )
    lengths = {len(a) for a in arrays}
    if len(lengths) != 1:
        raise ValueError(
            "Argument `dataset` must hold arrays with the same number of rows. "
            f"Received: arrays of {', '.join(str(len(a)) for a in arrays)} rows"
        )
    rows = lengths.pop()
    for start in range(0, rows, batch_size):
        batch = tuple(a[start:start + batch_size] for a in arrays)
        yield batch[0] if single else batch


def _is_arrays(dataset):
    return _is_array(dataset) or (isinstance(dataset, (tuple, list)) and len(dataset) > 0
                                  and all(_is_array(a) for a in dataset))


def check(dataset, batch_size):
    """A re-iterable of batches for ``dataset`` (see :func:`lr_range_test`), or a Keras-style ValueError."""
    if _is_arrays(dataset):
        if batch_size is None:
            raise ValueError(
                "Argument `dataset` holds arrays, read as `x`, `(x, y)` or `(x, y, sample_weight)` as `fit` "
                "reads them: pass `batch_size` too, or give a tf.data.Dataset, a keras.utils.PyDataset, a "
                "torch DataLoader or another iterable of batches. "
                f"Received: dataset of type {type(dataset).__name__} without batch_size"
            )

        class Arrays:
            def __iter__(self):
                return _array_batches(dataset, batch_size)

        return Arrays()
    if batch_size is not None:
        raise ValueError(
            "Argument `batch_size` is only for a dataset of arrays; the batches of a "
            f"{type(dataset).__name__} are its own. Received: batch_size={batch_size}"
        )
    if isinstance(dataset, keras.utils.PyDataset):
        return _PyDatasetPasses(dataset)
    if isinstance(dataset, tuple) or not hasattr(dataset, "__iter__"):
        raise ValueError(
            "Argument `dataset` must be a tf.data.Dataset, a keras.utils.PyDataset, a torch DataLoader, "
            "another iterable of batches, or arrays with `batch_size`, e.g. "
            "`tf.data.Dataset.from_tensor_slices((x, y)).shuffle(n).batch(32)`. "
            f"Received: dataset of type {type(dataset).__name__}"
        )
    return dataset


class _PyDatasetPasses:
    """A PyDataset read as ``fit`` reads it: batch by index, ``on_epoch_end()`` after each full pass."""

    def __init__(self, dataset):
        self.dataset = dataset

    def __iter__(self):
        try:
            count = self.dataset.num_batches  # None for an infinite PyDataset
        except (AttributeError, NotImplementedError):
            count = len(self.dataset)
        index = 0
        while count is None or index < count:
            yield self.dataset[index]
            index += 1
        self.dataset.on_epoch_end()


def passes(dataset):
    """Batches of ``dataset``, starting over when it ends (once per pass, if it can)."""
    while True:
        iterator = iter(dataset)
        empty = True
        for batch in iterator:
            empty = False
            yield batch
        if empty or iterator is dataset:  # an empty dataset or a one-shot iterator
            return


def _to_backend(value):
    """A TensorFlow or torch tensor as a NumPy array when the Keras backend is another one."""
    framework = type(value).__module__.partition(".")[0]
    backend = keras.backend.backend()
    if framework == "torch" and backend != "torch":
        return value.detach().cpu().numpy()
    if framework == "tensorflow" and backend != "tensorflow":
        return np.asarray(value)
    return value


def split(batch):
    """(x, y, sample_weight) from a dataset element, as Keras' fit unpacks it, in the backend's terms."""
    if isinstance(batch, list):  # a torch DataLoader collates (x, y) into a list
        batch = tuple(batch)
    try:
        x, y, sample_weight = keras.utils.unpack_x_y_sample_weight(batch)
    except ValueError:  # Keras' message prints the whole batch
        raise ValueError(
            "Argument `dataset` must yield batches `x`, `(x, y)` or `(x, y, sample_weight)`. "
            f"Received: a batch of {len(batch)} elements"
        ) from None
    return tuple(keras.tree.map_structure(_to_backend, part) if part is not None else None
                 for part in (x, y, sample_weight))
