"""Write fastai_suggestions.json: fastai's four learning-rate suggestions for recorded curves.

fastai is not a dependency of lrhelpers; run this with a Python that has
fastai and torch, from the repository root:

    python tests/reference/make_fastai_reference.py

A throwaway virtual environment is enough, and the lightest one is a CPU build
of torch and fastai without its declared extras: ``pip install --no-deps
fastai==2.8.12``, then what its imports need (fastcore, fastprogress,
fasttransform, fastdownload, "plum-dispatch<2.10", pandas, scipy,
scikit-learn, matplotlib, pyyaml, requests, pillow, cloudpickle, packaging);
torchvision and spacy are not needed. With torch 2.13.0+cpu that is 1.4 GB;
a plain ``pip install fastai`` on Linux takes PyPI's CUDA build of torch, whose
CUDA libraries alone are 3.2 GB (5.9 GB in all). The JSON stored here was
written with fastai 2.8.12, torch 2.13.0+cpu and NumPy 2.4.6; torch
2.14.1+cu130 gave the same suggestions for every curve except the real
fastai run, whose curve differs (the same seed, another torch).

For each curve it calls fastai's own ``Learner.lr_find`` with the curve as
the recorder's ``lrs`` and ``losses``, once per rule (``valley``, ``slide``,
``steep``, ``minimum`` from ``fastai.callback.schedule``), so that the
preprocessing is fastai's too: ``lr_find`` keeps ``[num_it // 10:-5]`` of
the curve, cuts it at the first NaN loss and makes float32 tensors of it.
The learner is a stand-in whose ``fit`` leaves the given curve in its
recorder; one more case runs a real ``Learner.lr_find`` on a small torch
model and checks that the stand-in gives the same suggestions for the
curve that run recorded. The curves are:

- synthetic ones made here (a smooth valley, with noise, smoothed as fastai
  smooths, with a NaN tail, a NaN inside, stopped early, swept linearly, flat,
  flat in float32 only,
  one that reaches fastai's index -1 in ``valley``, too short for ``slide``
  or for every rule);
- curves recorded by ``lrhelpers.lr_range_test`` on small Keras models
  (``range_test_curves.json``, written by ``record_range_test_curves.py``),
  with the smoothed losses ``RangeTestResult.suggestions`` uses and, for one,
  the raw per-batch losses;
- the curve of the real fastai run.

A rule that fails in fastai (an IndexError on a curve too short for it) is
recorded with the name of its exception.
"""

import contextlib
import json
import math
import pathlib
import tempfile
import types

import fastai
import numpy as np
import torch
from fastai.basics import DataLoaders, Learner
from fastai.callback.schedule import minimum, slide, steep, valley

HERE = pathlib.Path(__file__).parent
RULES = {"valley": valley, "slide": slide, "steep": steep, "minimum": minimum}


class RecordedCurve:
    """What ``Learner.lr_find`` reads from a learner, with ``fit`` leaving the given curve behind."""

    def __init__(self, learning_rates, losses):
        self.dls = types.SimpleNamespace(train=[None])  # lr_find only takes its len()
        self.recorder = types.SimpleNamespace(lrs=list(learning_rates), losses=list(losses))

    def no_logging(self):
        return contextlib.nullcontext()

    def fit(self, n_epoch, cbs=None):
        pass


def fastai_suggestions(learning_rates, losses, num_steps):
    out = {}
    for name, rule in RULES.items():
        try:
            found = Learner.lr_find(RecordedCurve(learning_rates, losses), num_it=num_steps, show_plot=False,
                                    suggest_funcs=(rule,))
            out[name] = float(getattr(found, name))
        except Exception as error:  # noqa: BLE001 - recorded: the test expects lrhelpers to refuse too
            out[name] = {"error": type(error).__name__}
    return out


def valley_curve(learning_rates):
    decades = np.log10(learning_rates)
    return 2.3 - 1.5 * np.tanh((decades + 3.0) / 0.8) + 0.5 * np.maximum(decades + 1.0, 0.0) ** 2


def fastai_smoothing(losses, beta=0.98):
    """fastai's AvgSmoothLoss: a debiased one-way moving average, what its Recorder records."""
    average, out = 0.0, []
    for i, loss in enumerate(losses):
        average = beta * average + (1 - beta) * loss
        out.append(average / (1 - beta ** (i + 1)))
    return np.array(out)


def synthetic_curves():
    rng = np.random.default_rng(2024)
    lrs = np.geomspace(1e-7, 10.0, 100)
    clean = valley_curve(lrs)
    curves = [("valley_clean", lrs, clean, 100)]
    for seed in range(3):
        noisy = clean + 0.08 * np.random.default_rng(seed).normal(size=100)
        curves.append((f"valley_noise_seed{seed}", lrs, noisy, 100))
    raw = clean + 0.3 * rng.normal(size=100)
    curves.append(("valley_noise_fastai_smoothed", lrs, fastai_smoothing(raw), 100))
    with_nan_tail = clean + 0.05 * rng.normal(size=100)
    with_nan_tail[84:] = np.nan
    curves.append(("nan_tail", lrs, with_nan_tail, 100))
    with_nan_inside = clean + 0.05 * rng.normal(size=100)
    with_nan_inside[55] = np.nan
    curves.append(("nan_inside", lrs, with_nan_inside, 100))
    curves.append(("stopped_early", lrs[:70], (clean + 0.05 * rng.normal(size=100))[:70], 100))
    lin = np.linspace(1e-4, 1.0, 120)
    curves.append(("linear_sweep", lin, 1.0 + (lin - 0.6) ** 2 - 0.3 * np.tanh(lin * 8)
                   + 0.01 * rng.normal(size=120), 120))
    curves.append(("flat", lrs[:40], np.full(40, 0.7), 40))
    # differences below float32's resolution: fastai's float32 tensors see a flat curve
    curves.append(("below_float32_resolution", lrs[:60], 0.5 + 1e-9 * rng.normal(size=60), 60))
    quirk = np.concatenate([[9.0, 9.0, 9.0, 5.0, 1.0], np.linspace(1.5, 4.5, 25)])  # valley's index -1
    curves.append(("valley_index_minus_one", np.geomspace(1e-4, 1.0, 30), quirk, 30))
    curves.append(("too_short_for_slide", lrs[:20], clean[:20], 20))
    curves.append(("too_short_for_any", lrs[:5], clean[:5], 5))
    return curves


def recorded_curves():
    stored = json.loads((HERE / "range_test_curves.json").read_text())
    curves = []
    for curve in stored["curves"]:
        smoothed = [math.nan if v is None else v for v in curve["smoothed_losses"]]
        curves.append((f"lr_range_test_{curve['name']}", curve["learning_rates"], smoothed, curve["num_steps"]))
    first = stored["curves"][0]
    curves.append((f"lr_range_test_{first['name']}_raw", first["learning_rates"], first["losses"],
                   first["num_steps"]))
    return curves


def real_fastai_run():
    """A real lr_find on a small regression: its recorded curve and the suggestions it returned."""
    torch.manual_seed(0)
    x = torch.randn(512, 8)
    y = x @ torch.randn(8, 1) + 0.1 * torch.randn(512, 1)
    items = list(zip(x, y))
    dls = DataLoaders.from_dsets(items[:448], items[448:], bs=16, device="cpu")
    model = torch.nn.Sequential(torch.nn.Linear(8, 32), torch.nn.ReLU(), torch.nn.Linear(32, 1))
    with tempfile.TemporaryDirectory() as path:
        learn = Learner(dls, model, loss_func=torch.nn.MSELoss(), path=path)
        with contextlib.redirect_stdout(None), contextlib.redirect_stderr(None):  # the progress bar
            found = learn.lr_find(num_it=100, show_plot=False, suggest_funcs=tuple(RULES.values()))
    lrs = [float(v) for v in learn.recorder.lrs]
    losses = [float(v) for v in learn.recorder.losses]
    returned = {name: float(getattr(found, name)) for name in RULES}
    replayed = fastai_suggestions(lrs, losses, 100)
    assert replayed == returned, (replayed, returned)  # the stand-in is read as a real learner is
    return ("fastai_lr_find_regression_adam", lrs, losses, 100)


def main():
    cases = []
    for name, lrs, losses, num_steps in synthetic_curves() + recorded_curves() + [real_fastai_run()]:
        lrs = [float(v) for v in lrs]
        losses = [float(v) for v in losses]
        cases.append({
            "name": name,
            "num_steps": num_steps,
            "learning_rates": lrs,
            "losses": [None if math.isnan(v) else v for v in losses],  # NaN written as null
            "fastai": fastai_suggestions(lrs, losses, num_steps),
        })
        print(f"{name:<48} {cases[-1]['fastai']}")
    meta = {"fastai": fastai.__version__, "torch": torch.__version__, "numpy": np.__version__}
    out = HERE / "fastai_suggestions.json"
    out.write_text(json.dumps({"generated_with": meta, "cases": cases}, indent=1) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
