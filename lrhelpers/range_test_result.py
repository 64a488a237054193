"""What lr_range_test measured, the rates it suggests, and its plot."""

import matplotlib.pyplot as plt
import numpy as np

from . import suggest

# colours clear of the curves (C0), the suggested_lr line (C3) and a second curve a caller adds (C1)
_MARKERS = {"valley": ("o", "C2"), "slide": ("s", "C4"), "steep": ("^", "C5"), "minimum": ("v", "C6")}


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
        suggested_lr: lrhelpers' own rule, the *steepest descent before the
            minimum*: the rate where the smoothed loss falls fastest (central
            differences against ``log(lr)``), among the points up to the
            lowest smoothed loss, over the whole curve. fastai's ``steep``
            (in ``suggestions``) differs: it drops the first tenth and the last
            5 points, takes forward differences (the left end of the steepest
            one) and looks at the whole kept curve, past the minimum too.
        min_loss_lr: the learning rate of the lowest smoothed loss (fastai's
            ``minimum`` suggests a tenth of the rate of its lowest loss).
        suggested_index, min_loss_index: the indices of those two rates in
            ``learning_rates``.
        suggestions: dict of fastai's four rules, ``"valley"``, ``"slide"``,
            ``"steep"`` and ``"minimum"``, to the rate each suggests for
            ``smoothed_losses``, as :func:`lrhelpers.suggest_lr` computes it
            (with ``num_steps``); None for a rule that has too few points left
            after fastai's drops (a very short or early-stopped sweep).
        diverged: whether the test stopped early because the loss blew up.
        min_lr, max_lr, num_steps: the sweep that was asked for.
        mode: ``"exponential"`` or ``"linear"``, how the rate grew.
    """

    def __init__(self, learning_rates, losses, smoothed_losses, suggested_index, min_loss_index,
                 diverged, min_lr, max_lr, num_steps, mode="exponential"):
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
        self.mode = mode
        self.suggestions = {}
        for method in suggest.METHODS:
            found = suggest._suggestion(self.learning_rates, self.smoothed_losses, method, num_steps)
            self.suggestions[method] = None if found is None else found[0]

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
        """Plot loss against learning rate and mark every suggestion.

        The x axis is logarithmic for an exponential sweep, linear for a linear
        one. A dashed line marks ``suggested_lr`` (steepest descent before the
        minimum), a dotted one ``min_loss_lr``, and a marker on the smoothed
        curve each of fastai's four ``suggestions`` (the one of ``minimum`` at
        the rate it suggests, a tenth of the rate of the lowest loss).

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
                   label=f"suggested lr {self.suggested_lr:.3g} (steepest descent before the minimum)")
        ax.axvline(self.min_loss_lr, color="grey", ls=":", lw=1,
                   label=f"min smoothed loss at {self.min_loss_lr:.3g}")
        finite = np.isfinite(self.smoothed_losses)
        position = np.log if self.mode == "exponential" else np.asarray
        for method, rate in self.suggestions.items():
            if rate is not None:
                height = np.interp(position(rate), position(self.learning_rates[finite]),
                                   self.smoothed_losses[finite])
                marker, color = _MARKERS[method]
                ax.plot([rate], [height], ls="none", marker=marker, color=color, ms=7,
                        markeredgecolor="black", markeredgewidth=0.6, label=f"fastai {method}: {rate:.3g}")
        smoothed = self.smoothed_losses[finite]
        raw_losses = self.losses[np.isfinite(self.losses)]
        if smoothed.size:  # keep the interesting part: the divergence would squash it
            low = float(min(smoothed.min(), raw_losses.min() if raw else np.inf))
            high = float(max(self.smoothed_losses[: self.min_loss_index + 1].max(),
                             np.median(raw_losses[:5]) if raw else -np.inf))
            margin = 0.1 * (high - low) or 0.1 * abs(high) or 0.1
            ax.set_ylim(low - margin, high + 3 * margin)
        if self.mode == "exponential":
            ax.set_xscale("log")
        ax.set(xlabel="learning rate", ylabel="loss")
        if title:
            ax.set_title(title)
        ax.legend(fontsize=7)
        return ax
