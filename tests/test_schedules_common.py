"""Properties every schedule of lrhelpers.schedules shares."""

import json
import warnings

import keras
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from keras import ops
from schedule_cases import assert_lr_close, cases, has_float64, largest_step

from lrhelpers import lr_values

NAMES = list(cases())


def schedule_named(name):
    return cases()[name][0]


@pytest.mark.parametrize("name", NAMES)
def test_is_a_registered_keras_schedule(name):
    schedule = schedule_named(name)
    assert isinstance(schedule, keras.optimizers.schedules.LearningRateSchedule)
    registered = keras.saving.get_registered_name(type(schedule))
    assert registered == f"lrhelpers>{type(schedule).__name__}"


@pytest.mark.parametrize("name", NAMES)
def test_any_shape_and_dtype_of_steps_gives_the_per_step_values(name):
    schedule = schedule_named(name)
    steps = np.arange(24).reshape(2, 3, 4)
    one_by_one = np.array([float(schedule(int(s))) for s in steps.ravel()])
    dtypes = ("int32", "int64", "float32", "float64") if has_float64() else ("int32", "float32")
    for dtype in dtypes:
        values = schedule(ops.convert_to_tensor(steps.astype(dtype)))
        assert tuple(values.shape) == steps.shape
        assert_lr_close(ops.convert_to_numpy(values), one_by_one.reshape(steps.shape))
    scalar = ops.convert_to_tensor(np.array(5, "int64" if has_float64() else "int32"))
    assert_lr_close(ops.convert_to_numpy(schedule(scalar)), one_by_one[5])


@pytest.mark.parametrize("name", NAMES)
def test_no_float64_and_no_warnings(name):
    # float32 out for int and float steps of every width the backend has, and no
    # warning (JAX without x64 warns about every float64 it is asked for).
    schedule = schedule_named(name)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for step in (7, 7.5, np.int32(7), np.float32(7.5), ops.convert_to_tensor(np.arange(9))):
            value = schedule(step)
            assert keras.backend.standardize_dtype(value.dtype) == "float32"
        assert lr_values(schedule, np.arange(50)).dtype == np.float32


@pytest.fixture(scope="module")
def compiled_values(tf):
    """name -> (schedule, steps, graph values, XLA values): every schedule in one tf.function and one XLA
    compilation (each compilation has a fixed cost; the schedules' ops are independent of each other)."""
    schedules = {name: schedule_named(name) for name in NAMES}
    scalar = tf.constant(7, "int64")
    grid = tf.constant(np.arange(30).reshape(5, 6), "int32")
    floats = tf.constant(np.linspace(0.0, 40.0, 17), "float32")

    def every_schedule(a, b, c):
        return {name: [schedule(a), schedule(b), schedule(c)] for name, schedule in schedules.items()}

    compiled = tf.function(every_schedule)
    xla = tf.function(every_schedule, jit_compile=True)
    graph, jit = compiled(scalar, grid, floats), xla(scalar, grid, floats)
    return {name: (schedule, (scalar, grid, floats), graph[name], jit[name]) for name, schedule in schedules.items()}


@pytest.mark.parametrize("name", NAMES)
def test_xla_compiled_tf_function_gives_the_eager_values(name, compiled_values):
    schedule, all_steps, graph_values, jit_values = compiled_values[name]
    for steps, graph, jit in zip(all_steps, graph_values, jit_values):
        eager = schedule(steps)
        assert_lr_close(graph, eager)
        assert_lr_close(jit, eager)


@pytest.mark.parametrize("name", NAMES)
def test_jax_jit_gives_the_eager_values(name):
    if keras.backend.backend() != "jax":
        pytest.skip(f"jax.jit needs the JAX backend; the backend is {keras.backend.backend()}")
    import jax

    schedule = schedule_named(name)
    for steps in (np.int32(7), np.arange(30, dtype=np.int32).reshape(5, 6), np.linspace(0, 40, 17, dtype=np.float32)):
        assert_lr_close(np.asarray(jax.jit(schedule)(steps)), np.asarray(schedule(steps)))


@pytest.mark.parametrize("name", NAMES)
def test_json_config_round_trip_keeps_the_curve(name):
    schedule = schedule_named(name)
    text = json.dumps(keras.saving.serialize_keras_object(schedule))
    restored = keras.saving.deserialize_keras_object(json.loads(text))
    assert type(restored) is type(schedule)
    assert restored.get_config() == schedule.get_config()
    steps = np.arange(200)
    assert_lr_close(lr_values(restored, steps), lr_values(schedule, steps))


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=25, deadline=None)
@given(steps=st.lists(st.integers(0, largest_step()), min_size=1, max_size=40))
def test_finite_and_between_floor_and_peak_up_to_1e12(name, steps):
    # up to 2**31 - 1 on JAX without x64, where steps are int32
    schedule, floor, peak = cases()[name]
    values = lr_values(schedule, np.array([0, largest_step(), *steps], dtype=np.int64))
    assert np.all(np.isfinite(values))
    assert np.all(values >= np.float32(floor))
    assert np.all(values <= np.float32(peak))


@pytest.mark.parametrize("name", NAMES)
def test_a_million_steps_in_one_vectorised_call(name):
    # Speed is measured by benchmarks/schedule_eval.py, not asserted here.
    steps = np.arange(10**6)
    values = lr_values(schedule_named(name), steps)
    assert values.shape == steps.shape and np.all(np.isfinite(values))
