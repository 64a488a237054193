"""Write torch_schedules.json: PyTorch's learning rates for a few scheduler configs.

PyTorch is not a dependency of lrhelpers; run this with any Python that has
torch installed (a throwaway virtual environment is enough):

    python tests/reference/make_torch_reference.py

``lr[k]`` is the learning rate the optimizer uses for its (k+1)-th update,
i.e. after ``k`` calls of ``scheduler.step()``: what a Keras schedule returns
for step ``k``.
"""

import json
import pathlib

import torch

CASES = [
    ("OneCycleLR", dict(max_lr=0.1, total_steps=100)),
    (
        "OneCycleLR",
        dict(
            max_lr=1.0,
            total_steps=257,
            pct_start=0.25,
            div_factor=10.0,
            final_div_factor=100.0,
            anneal_strategy="linear",
        ),
    ),
    ("OneCycleLR", dict(max_lr=0.05, total_steps=120, three_phase=True)),
    (
        "OneCycleLR",
        dict(
            max_lr=0.5,
            total_steps=33,
            pct_start=0.4,
            anneal_strategy="linear",
            three_phase=True,
        ),
    ),
    ("CyclicLR", dict(base_lr=0.001, max_lr=0.1, step_size_up=10)),
    (
        "CyclicLR",
        dict(
            base_lr=0.01,
            max_lr=0.1,
            step_size_up=7,
            step_size_down=13,
            mode="triangular2",
        ),
    ),
    (
        "CyclicLR",
        dict(
            base_lr=0.0,
            max_lr=1.0,
            step_size_up=5,
            step_size_down=9,
            mode="exp_range",
            gamma=0.99,
        ),
    ),
    ("CosineAnnealingWarmRestarts", dict(T_0=10)),
    ("CosineAnnealingWarmRestarts", dict(T_0=7, T_mult=2, eta_min=0.001)),
    ("CosineAnnealingWarmRestarts", dict(T_0=5, T_mult=3, eta_min=0.01)),
]
BASE_LR = 0.1  # the optimizer's lr: the peak of CosineAnnealingWarmRestarts
STEPS = 400


def torch_learning_rates(name, kwargs):
    """The learning rate before each of the first steps (all of OneCycleLR's)."""
    weight = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([weight], lr=BASE_LR, momentum=0.9)
    scheduler = getattr(torch.optim.lr_scheduler, name)(optimizer, **kwargs)
    steps = kwargs["total_steps"] if name == "OneCycleLR" else STEPS
    rates = []
    for _ in range(steps):
        rates.append(scheduler.get_last_lr()[0])
        optimizer.step()
        scheduler.step()
    return rates


def reference():
    return {
        "torch_version": torch.__version__,
        "base_lr": BASE_LR,
        "cases": [
            {
                "scheduler": name,
                "kwargs": kwargs,
                "lr": torch_learning_rates(name, kwargs),
            }
            for name, kwargs in CASES
        ],
    }


if __name__ == "__main__":
    path = pathlib.Path(__file__).with_name("torch_schedules.json")
    path.write_text(json.dumps(reference(), indent=1) + "\n")
    print(f"wrote {path}")
