"""lr_range_test sweeps the rate, records true per-batch losses and puts everything back.

Runs on every Keras backend (KERAS_BACKEND=tensorflow, jax or torch); the tests
that need TensorFlow or torch skip, saying so, where it is missing or not the backend.
"""

import matplotlib

matplotlib.use("Agg")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from lrhelpers import RangeTestResult, lr_range_test  # noqa: E402


def regression_data(n=256, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 8)).astype("float32")
    w = rng.normal(size=(8, 1)).astype("float32")
    y = (x @ w + 0.1 * rng.normal(size=(n, 1))).astype("float32")
    return x, y


def dataset(batch_size=16, n=256):
    """A list of (x, y) batches: a re-iterable of NumPy batches, as every backend takes."""
    x, y = regression_data(n)
    return [(x[i:i + batch_size], y[i:i + batch_size]) for i in range(0, n, batch_size)]


def zero_batches(count):
    return [(np.zeros((1, 1), "float32"), np.zeros((1, 1), "float32")) for _ in range(count)]


def model_with_state(optimizer):
    """Batch norm (non-trainable statistics), dropout (seed state), a compiled metric."""
    keras.utils.set_random_seed(1)
    model = keras.Sequential([
        keras.Input((8,)),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.BatchNormalization(),
        keras.layers.Dropout(0.2),
        keras.layers.Dense(1),
    ])
    model.compile(optimizer, loss="mse", metrics=["mae"])
    return model


def numpy(variable):
    """A copy of a variable's value. Not ``get_weights()`` or ``convert_to_numpy``: with NumPy 2 they warn
    (the ``__array__`` of Keras' JAX variables, of TensorFlow's and of torch's tensors)."""
    value = keras.ops.convert_to_tensor(variable)
    if keras.backend.backend() == "torch":
        return value.detach().cpu().numpy().copy()
    if keras.backend.backend() == "tensorflow":
        return value.numpy()
    return np.array(value)


def weights(model):
    return [numpy(w) for w in model.weights]


def snapshot(model):
    variables = list(model.variables) + list(model.optimizer.variables) + list(model.metrics_variables)
    return {v.path: numpy(v) for v in variables}


def assert_same_state(before, after):
    assert list(before) == list(after)
    for path, value in before.items():
        np.testing.assert_array_equal(after[path], value, err_msg=path)


def test_restores_weights_and_optimizer_state_of_a_trained_model_exactly():
    model = model_with_state(keras.optimizers.Adam(1e-3))
    # the optimizer built, its moments and iterations non-zero
    model.fit(*regression_data(), batch_size=16, epochs=1, verbose=0, shuffle=False)
    before = snapshot(model)
    assert int(model.optimizer.iterations) == 16

    result = lr_range_test(model, dataset(), min_lr=1e-5, max_lr=10.0, num_steps=40)

    assert result.steps > 1
    assert_same_state(before, snapshot(model))
    assert int(model.optimizer.iterations) == 16
    assert float(model.optimizer.learning_rate) == pytest.approx(1e-3)


def test_restores_the_initial_state_of_an_optimizer_that_was_not_built():
    model = model_with_state(keras.optimizers.SGD(0.01, momentum=0.9))
    assert not model.optimizer.built
    initial_weights = [w.copy() for w in weights(model)]

    lr_range_test(model, dataset(), min_lr=1e-4, max_lr=1.0, num_steps=20)

    assert model.optimizer.built
    assert int(model.optimizer.iterations) == 0
    for variable in model.optimizer.variables:
        if "momentum" in variable.path:
            np.testing.assert_array_equal(numpy(variable), 0.0)
    for after, before in zip(weights(model), initial_weights):
        np.testing.assert_array_equal(after, before)


def test_training_after_the_test_matches_training_without_it():
    def trained(run_range_test):
        model = model_with_state(keras.optimizers.Adam(1e-2))
        model.fit(*regression_data(), batch_size=16, epochs=1, verbose=0, shuffle=False)
        if run_range_test:
            lr_range_test(model, dataset(), num_steps=30)
        model.fit(*regression_data(), batch_size=16, epochs=1, verbose=0, shuffle=False)
        return weights(model)

    for with_test, without in zip(trained(True), trained(False)):
        np.testing.assert_array_equal(with_test, without)


def test_restore_false_leaves_the_trained_state():
    model = model_with_state(keras.optimizers.SGD(0.01))
    lr_range_test(model, dataset(), num_steps=5, min_lr=1e-3, max_lr=1e-2, restore=False)
    assert int(model.optimizer.iterations) == 5


def centred_average(losses, smoothing):
    """The documented smoothing, written as a matrix of weights ``smoothing ** |i - j|``."""
    weights = smoothing ** np.abs(np.subtract.outer(np.arange(len(losses)), np.arange(len(losses))))
    return weights @ losses / weights.sum(axis=1)


def steepest_descent_index(learning_rates, smoothed):
    """Where the smoothed loss falls fastest against log(lr), before its minimum."""
    lowest = int(np.argmin(smoothed))
    slopes = np.gradient(smoothed[: lowest + 1], np.log(learning_rates[: lowest + 1]))
    return int(np.argmin(slopes))


def test_sweep_is_exponential_and_suggestion_is_the_steepest_descent():
    model = model_with_state(keras.optimizers.SGD(0.01))
    result = lr_range_test(model, dataset(), min_lr=1e-4, max_lr=0.1, num_steps=50)

    assert isinstance(result, RangeTestResult)
    assert not result.diverged
    assert result.steps == 50  # the dataset (16 batches) is started over to reach 50
    np.testing.assert_array_equal(result.learning_rates, np.geomspace(1e-4, 0.1, 50))
    assert result.learning_rates[0] == 1e-4 and result.learning_rates[-1] == 0.1  # exactly the ends asked for
    cap = 4.0 * reference_average(result.losses, 0.9).min()  # losses above the divergence threshold are clipped
    np.testing.assert_allclose(result.smoothed_losses, centred_average(np.minimum(result.losses, cap), 0.9),
                               rtol=1e-12)
    assert result.min_loss_index == int(np.argmin(result.smoothed_losses))
    assert result.min_loss_index >= 2
    expected = steepest_descent_index(result.learning_rates, result.smoothed_losses)
    assert result.suggested_index == expected
    assert result.suggested_lr == result.learning_rates[expected]
    # on this easy regression the loss falls: the suggestion is where it falls fastest, before the minimum
    assert result.suggested_lr <= result.min_loss_lr
    assert result.smoothed_losses[result.min_loss_index] < result.smoothed_losses[0]


def range_test_on(losses, smoothing=0.9):
    """lr_range_test over 1e-3 .. 1e-1 with train_on_batch returning ``losses``, one per batch."""
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(0.1), loss="mse")
    fake_losses(model, losses)
    ds = zero_batches(len(losses))
    return lr_range_test(model, ds, min_lr=1e-3, max_lr=1e-1, num_steps=len(losses), smoothing=smoothing,
                         diverge_factor=1e9)


@pytest.mark.parametrize("name, losses", [("flat", np.ones(30)), ("rising", np.linspace(1, 2, 30))])
def test_without_a_descent_the_suggestion_is_the_lowest_loss_at_the_first_rate(name, losses):
    result = range_test_on(losses)
    assert result.min_loss_index == 0
    assert result.suggested_index == 0
    assert result.suggested_lr == result.min_loss_lr == 1e-3


def test_suggestion_is_the_steepest_descent_of_a_known_curve():
    # Falls fastest at step 12 (tanh), flat from about step 20, rises after step 24: the
    # smoothed minimum lies inside the sweep and the steepest smoothed slope near step 12.
    steps = np.arange(40)
    losses = 2.0 - np.tanh((steps - 12) / 3.0) + 0.01 * np.maximum(steps - 24, 0) ** 2
    result = range_test_on(losses)
    lrs = np.geomspace(1e-3, 1e-1, 40)
    smoothed = centred_average(losses, 0.9)
    np.testing.assert_allclose(result.smoothed_losses, smoothed, rtol=1e-12)
    assert result.min_loss_index == int(np.argmin(smoothed)) > 12
    expected = steepest_descent_index(lrs, smoothed)
    assert abs(expected - 12) <= 1
    assert result.suggested_index == expected
    assert result.suggested_lr == lrs[expected]


@pytest.mark.parametrize("seed", range(5))
def test_suggestion_for_noisy_losses_is_the_steepest_smoothed_descent(seed):
    losses = np.random.default_rng(seed).random(30)
    result = range_test_on(losses)
    lrs = np.geomspace(1e-3, 1e-1, 30)
    smoothed = centred_average(losses, 0.9)
    lowest = int(np.argmin(smoothed))
    assert result.min_loss_index == lowest
    expected = lowest if lowest < 2 else steepest_descent_index(lrs, smoothed)
    assert result.suggested_index == expected
    assert result.suggested_lr == lrs[expected]
    assert result.learning_rates[0] == 1e-3 and result.learning_rates[-1] == 1e-1


def test_batches_are_unpacked_as_fit_does():
    calls = []
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(0.1), loss="mse")

    def train_on_batch(x, y=None, sample_weight=None, **kwargs):
        calls.append((x, y, sample_weight))
        return {"loss": 1.0}

    model.train_on_batch = train_on_batch
    x, y, w = np.zeros((1, 1)), np.ones((1, 1)), np.full((1,), 2.0)
    for batch, expected in [([x], (x, None, None)), ((x, y), (x, y, None)), ((x, y, w), (x, y, w)),
                            (x, (x, None, None))]:
        calls.clear()
        lr_range_test(model, iter([batch]), num_steps=1)
        assert len(calls) == 1
        assert all(a is b for a, b in zip(calls[0], expected))
    with pytest.raises(ValueError) as info:
        lr_range_test(model, iter([(x, y, w, w)]), num_steps=1)
    assert str(info.value) == (
        "Argument `dataset` must yield batches `x`, `(x, y)` or `(x, y, sample_weight)`. "
        "Received: a batch of 4 elements"
    )


def test_losses_are_per_batch_not_the_running_mean():
    # Batches with very different losses: alternate easy (y = 1) and hard (y = 10) targets.
    x = np.zeros((8, 8), dtype="float32")
    y = np.where(np.arange(8)[:, None] % 2 == 0, 1.0, 10.0).astype("float32")
    ds = [(x[i:i + 1], y[i:i + 1]) for i in range(8)]
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1, use_bias=False)])
    model.compile(keras.optimizers.SGD(0.1), loss="mse")
    result = lr_range_test(model, ds, min_lr=1e-6, max_lr=1e-5, num_steps=8, smoothing=0.0,
                           diverge_factor=1e3)
    # x = 0 and no bias: the prediction is 0, the loss of each batch is exactly y**2
    np.testing.assert_array_equal(result.losses, [1.0, 100.0] * 4)  # a running mean would be 1, 50.5, 34, ...
    np.testing.assert_array_equal(result.smoothed_losses, result.losses)


def test_stops_when_the_loss_diverges():
    model = model_with_state(keras.optimizers.SGD(0.01))
    before = snapshot(model)
    result = lr_range_test(model, dataset(), min_lr=1e-3, max_lr=1e6, num_steps=200)
    assert result.diverged
    assert result.steps < 200
    last = result.losses[-1]
    assert not np.isfinite(last) or last > 4.0 * np.nanmin(result.losses)
    assert result.suggested_lr < result.learning_rates[-1]
    model.optimizer.build(model.trainable_variables)  # the test built it; compare the rest
    after = snapshot(model)
    for path, value in before.items():
        np.testing.assert_array_equal(after[path], value, err_msg=path)


def reference_average(values, smoothing):
    average, out = 0.0, []
    for i, loss in enumerate(values):
        average = smoothing * average + (1 - smoothing) * loss
        out.append(average / (1 - smoothing ** (i + 1)))
    return np.array(out)


def fake_losses(model, losses):
    values = iter(losses)
    model.train_on_batch = lambda *a, **k: {"loss": float(next(values))}


def test_smoothing_is_an_exponentially_weighted_average_centred_on_each_step():
    losses = np.array([4.0, 2.0, 3.0, 1.0])
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(0.1), loss="mse")
    fake_losses(model, losses)
    ds = zero_batches(4)
    result = lr_range_test(model, ds, num_steps=4, smoothing=0.5, diverge_factor=1e9)
    weights = 0.5 ** np.abs(np.subtract.outer(np.arange(4), np.arange(4)))
    np.testing.assert_allclose(result.smoothed_losses, weights @ losses / weights.sum(axis=1))
    np.testing.assert_array_equal(result.losses, losses)


def test_smoothed_curve_does_not_lag_behind_the_sweep():
    # A loss curve with its minimum at step 50: a one-way moving average puts it ~19 steps later.
    steps = np.arange(100)
    losses = 1.0 + ((steps - 50) / 30.0) ** 2
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(0.1), loss="mse")
    fake_losses(model, losses)
    ds = zero_batches(100)
    result = lr_range_test(model, ds, num_steps=100, smoothing=0.95, diverge_factor=1e9)
    assert abs(int(np.argmin(reference_average(losses, 0.95))) - 50) > 10
    assert result.min_loss_index == 50


def test_plot_returns_axes_with_the_curves():
    model = model_with_state(keras.optimizers.SGD(0.01))
    result = lr_range_test(model, dataset(), min_lr=1e-4, max_lr=1.0, num_steps=20)
    ax = result.plot()
    assert isinstance(ax, matplotlib.axes.Axes)
    assert ax.get_xscale() == "log"
    labels = [line.get_label() for line in ax.get_lines()]
    assert "smoothed loss" in labels and "loss per batch" in labels
    assert any(label.startswith("suggested lr") for label in labels)
    fig, given = matplotlib.pyplot.subplots()
    assert result.plot(ax=given, raw=False) is given
    matplotlib.pyplot.close("all")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"num_steps": 0}, "Argument `num_steps` must be a positive integer. Received: num_steps=0"),
        ({"num_steps": 2.5}, "Argument `num_steps` must be a positive integer. Received: num_steps=2.5"),
        ({"min_lr": 0.0}, "Argument `min_lr` must be > 0. Received: min_lr=0.0"),
        ({"min_lr": 1.0, "max_lr": 0.1}, "Argument `max_lr` must be > min_lr (1.0). Received: max_lr=0.1"),
        ({"smoothing": 1.0}, "Argument `smoothing` must be < 1. Received: smoothing=1.0"),
        ({"diverge_factor": 1}, "Argument `diverge_factor` must be > 1. Received: diverge_factor=1"),
        ({"max_lr": float("nan")}, "Argument `max_lr` must be finite. Received: max_lr=nan"),
    ],
)
def test_bad_arguments_raise_value_error(kwargs, message):
    model = model_with_state(keras.optimizers.SGD(0.01))
    with pytest.raises(ValueError) as info:
        lr_range_test(model, dataset(), **kwargs)
    assert str(info.value) == message


def test_bad_dataset_raises_value_error():
    model = model_with_state(keras.optimizers.SGD(0.01))
    x, y = regression_data()
    with pytest.raises(ValueError, match="Argument `dataset` holds arrays, .* pass `batch_size` too"):
        lr_range_test(model, (x, y))
    with pytest.raises(ValueError, match="Argument `dataset` must be a tf.data.Dataset, a keras.utils.PyDataset"):
        lr_range_test(model, 3)
    with pytest.raises(ValueError, match="at least one batch"):
        lr_range_test(model, [])


def test_schedule_optimizer_raises_type_error():
    decay = keras.optimizers.schedules.ExponentialDecay(0.1, 10, 0.5)
    model = model_with_state(keras.optimizers.SGD(decay))
    with pytest.raises(TypeError, match="float `learning_rate`"):
        lr_range_test(model, dataset())


def test_loss_scale_optimizer_is_looked_through():
    model = model_with_state(keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD(0.01)))
    result = lr_range_test(model, dataset(), min_lr=1e-3, max_lr=1e-2, num_steps=3)
    assert result.steps == 3
    decay = keras.optimizers.schedules.ExponentialDecay(0.1, 10, 0.5)
    model = model_with_state(keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD(decay)))
    with pytest.raises(TypeError, match="learning rate is a ExponentialDecay"):
        lr_range_test(model, dataset())


def test_uncompiled_model_raises_value_error():
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1)])
    with pytest.raises(ValueError, match="compiled model"):
        lr_range_test(model, dataset())


def needs_tensorflow():
    """TensorFlow, imported; the test skips where it is not installed."""
    return pytest.importorskip("tensorflow", reason="needs TensorFlow (tf.data), not installed with this backend")


class Batches(keras.utils.PyDataset):
    def __init__(self, batches):
        super().__init__()
        self.batches = batches
        self.epochs_ended = 0

    def __len__(self):
        return len(self.batches)

    def __getitem__(self, index):
        return self.batches[index]

    def on_epoch_end(self):
        self.epochs_ended += 1


class Regenerated:
    """A re-iterable that is not a list: a new generator at every pass."""

    def __init__(self, batches):
        self.batches = batches

    def __iter__(self):
        return (batch for batch in self.batches)


def range_test_losses(data, **kwargs):
    model = model_with_state(keras.optimizers.SGD(0.01, momentum=0.9))
    result = lr_range_test(model, data, min_lr=1e-4, max_lr=0.1, num_steps=40, **kwargs)
    assert result.steps == 40  # 16 batches: started over twice
    return result.losses


@pytest.fixture(scope="module")
def list_losses():
    """range_test_losses of a list of NumPy batches, the reference the other kinds of dataset are compared with."""
    return range_test_losses(dataset())


def test_every_kind_of_dataset_gives_the_same_losses(list_losses):
    batches, expected = dataset(), list_losses
    x, y = regression_data()
    pydataset = Batches(batches)
    np.testing.assert_array_equal(range_test_losses(pydataset), expected)
    assert pydataset.epochs_ended == 2  # as fit calls it, after each full pass
    np.testing.assert_array_equal(range_test_losses(Regenerated(batches)), expected)
    np.testing.assert_array_equal(range_test_losses((x, y), batch_size=16), expected)


def test_tf_data_dataset_gives_the_same_losses(list_losses):
    tf = needs_tensorflow()
    x, y = regression_data()
    np.testing.assert_array_equal(range_test_losses(tf.data.Dataset.from_tensor_slices((x, y)).batch(16)),
                                  list_losses)


def test_torch_dataloader_gives_the_same_losses(list_losses):
    torch = pytest.importorskip("torch", reason="needs torch (a DataLoader), not installed with this backend")
    x, y = regression_data()
    # its own generator: a DataLoader draws a seed from torch's global one at every pass otherwise, which
    # changes the dropout masks on the torch backend (Keras' unseeded Dropout draws from the global generator)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.from_numpy(x), torch.from_numpy(y)),
                                         batch_size=16, generator=torch.Generator().manual_seed(0))
    np.testing.assert_array_equal(range_test_losses(loader), list_losses)


def test_arrays_are_cut_into_batches_in_order():
    x, y = regression_data(n=40)
    w = np.arange(40, dtype="float32")
    calls = []
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(0.1), loss="mse")
    model.train_on_batch = lambda x, y=None, sample_weight=None, **k: calls.append((x, y, sample_weight)) or {
        "loss": 1.0}
    lr_range_test(model, (x, y, w), batch_size=16, num_steps=4, diverge_factor=1e9)
    assert [len(c[0]) for c in calls] == [16, 16, 8, 16]  # the last, short batch, then started over
    np.testing.assert_array_equal(calls[1][0], x[16:32])
    np.testing.assert_array_equal(calls[2][1], y[32:])
    np.testing.assert_array_equal(calls[3][2], w[:16])
    calls.clear()
    lr_range_test(model, x, batch_size=32, num_steps=2, diverge_factor=1e9)
    assert calls[1][1] is None and calls[1][2] is None
    np.testing.assert_array_equal(calls[1][0], x[32:])
    with pytest.raises(ValueError, match="only for a dataset of arrays"):
        lr_range_test(model, dataset(), batch_size=16)
    with pytest.raises(ValueError, match="same number of rows. Received: arrays of 40, 39 rows"):
        lr_range_test(model, (x, y[1:]), batch_size=16)
    with pytest.raises(ValueError, match="Argument `batch_size` must be a positive integer"):
        lr_range_test(model, (x, y), batch_size=0)


def test_losses_are_per_batch_without_train_on_batch_resetting_the_metrics():
    # Keras before 3.15 did not reset the metrics in train_on_batch: emulate that by making its own
    # reset a no-op, then check lr_range_test still records each batch's loss, not the running mean.
    x = np.zeros((8, 8), dtype="float32")
    y = np.where(np.arange(8)[:, None] % 2 == 0, 1.0, 10.0).astype("float32")
    batches = [(x[i:i + 1], y[i:i + 1]) for i in range(8)]

    def old_keras_model():
        model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1, use_bias=False)])
        model.compile(keras.optimizers.SGD(0.1), loss="mse")
        inside, reset, train = [False], model.reset_metrics, model.train_on_batch

        def reset_unless_inside():
            if not inside[0]:
                reset()

        def train_without_reset(*args, **kwargs):
            inside[0] = True
            try:
                return train(*args, **kwargs)
            finally:
                inside[0] = False

        model.reset_metrics, model.train_on_batch = reset_unless_inside, train_without_reset
        return model

    control = old_keras_model()
    means = [control.train_on_batch(*batch, return_dict=True)["loss"] for batch in batches[:3]]
    np.testing.assert_allclose(means, [1.0, 50.5, 34.0])  # the emulation does give running means
    result = lr_range_test(old_keras_model(), batches, min_lr=1e-6, max_lr=1e-5, num_steps=8, smoothing=0.0,
                           diverge_factor=1e3)
    np.testing.assert_array_equal(result.losses, [1.0, 100.0] * 4)


def test_linear_sweep():
    model = model_with_state(keras.optimizers.SGD(0.01))
    result = lr_range_test(model, dataset(), min_lr=1e-3, max_lr=0.05, num_steps=30, mode="linear")
    assert result.mode == "linear" and not result.diverged
    np.testing.assert_array_equal(result.learning_rates, np.linspace(1e-3, 0.05, 30))
    assert result.learning_rates[0] == 1e-3 and result.learning_rates[-1] == 0.05
    ax = result.plot()
    assert ax.get_xscale() == "linear"
    matplotlib.pyplot.close("all")
    with pytest.raises(ValueError, match="Argument `mode` must be one of 'exponential', 'linear'. "
                                         "Received: mode=linar"):
        lr_range_test(model, dataset(), mode="linar")


@pytest.fixture(scope="module")
def diverging_sweep():
    """(model, result) of a 60-step sweep up to 1e3 that diverges; lr_range_test restores the model."""
    model = model_with_state(keras.optimizers.SGD(0.01))
    return model, lr_range_test(model, dataset(), min_lr=1e-4, max_lr=1e3, num_steps=60)


def test_suggestions_are_fastais_rules_on_the_smoothed_curve(diverging_sweep):
    from lrhelpers import suggest_lr

    model, result = diverging_sweep
    assert result.diverged and result.steps < 60  # an early stop: fastai still drops num_steps // 10
    assert list(result.suggestions) == ["valley", "slide", "steep", "minimum"]
    for method, rate in result.suggestions.items():
        assert rate == suggest_lr(result.learning_rates, result.smoothed_losses, method, num_steps=60)
    assert result.suggestions["minimum"] == result.learning_rates[6 + int(np.argmin(
        result.smoothed_losses[6:-5].astype("float32")))] / 10  # 60 // 10 points dropped, and the last 5
    short = lr_range_test(model, dataset(), min_lr=1e-4, max_lr=1e-3, num_steps=12)
    assert short.suggestions["slide"] is None  # 6 points left: too few for slide, enough for the others
    assert all(short.suggestions[m] is not None for m in ("valley", "steep", "minimum"))


def test_plot_marks_every_suggestion(tmp_path, diverging_sweep):
    _, result = diverging_sweep
    ax = result.plot()
    labels = [line.get_label() for line in ax.get_lines()]
    for method, rate in result.suggestions.items():
        assert f"fastai {method}: {rate:.3g}" in labels
    marker = next(line for line in ax.get_lines() if line.get_label().startswith("fastai valley"))
    assert marker.get_xdata()[0] == result.suggestions["valley"]
    assert result.smoothed_losses[:-1].min() <= marker.get_ydata()[0] <= np.nanmax(result.smoothed_losses)
    ax.figure.savefig(tmp_path / "range_test.png")
    matplotlib.pyplot.close("all")
