r"""Probability distributions for the simulations, parametrised by their mean (layer 1).

A :class:`Distribution` names a family and its *shape* and may leave the mean open: the
simulations then take the mean from the model (``mttf_h``, ``mttr_h``, ``failover_s``, …), so
``Distribution.weibull(0.7)`` swaps the exponential time to failure of a block for a Weibull of
the **same mean**, which is what answers "does the exponential assumption matter here?".

Besides plain samples every family draws from its *equilibrium* (stationary forward-recurrence)
distribution :math:`F_e(x) = \frac{1}{m}\int_0^x (1 - F(t))\,dt`, used to start a renewal
process in steady state (no warm-up bias): draw a length-biased value :math:`L` (density
:math:`x f(x)/m`) and a uniform :math:`V`; then :math:`V L \sim F_e` [1]_.

References
----------
.. [1] S. M. Ross, *Stochastic Processes*, 2nd ed., Wiley, 1996, §3.4–3.5 (equilibrium renewal
   process, length-biased sampling).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from availcalc._validation import _short, check_nonnegative, scalar

__all__ = ["Distribution"]

_KINDS = ("exponential", "weibull", "lognormal", "gamma", "deterministic")
#: Weibull shapes taken: below 0.01 the SCV is above 1e58 (no failure or send process varies
#: that much) and below 0.0058 the scale m/Γ(1 + 1/k) overflows a double; above 100 the SCV is
#: below 2e-4 (use ``deterministic``).
WEIBULL_SHAPES = (0.01, 100.0)


@dataclass(frozen=True)
class Distribution:
    r"""A non-negative distribution given by family, shape and (optionally) mean.

    Build one with the class methods :meth:`exponential`, :meth:`weibull`,
    :meth:`lognormal`, :meth:`gamma` or :meth:`deterministic`.

    Parameters
    ----------
    kind : {"exponential", "weibull", "lognormal", "gamma", "deterministic"}
        Family.
    shape : float or None
        Weibull shape :math:`k > 0`; squared coefficient of variation :math:`c^2 > 0` for
        ``lognormal`` and ``gamma``; None for the others.
    mean : float or None
        Mean [unit of the caller: h for failures and repairs, s for queues], > 0; None = take
        it from the model the distribution is used in.

    Raises
    ------
    ValueError
        If ``kind`` is unknown, or ``shape`` or ``mean`` is missing or not finite and > 0.

    Notes
    -----
    With mean :math:`m`: Weibull scale :math:`\eta = m/\Gamma(1 + 1/k)`, SCV
    :math:`\Gamma(1+2/k)/\Gamma(1+1/k)^2 - 1`; lognormal :math:`\sigma^2 = \ln(1 + c^2)`,
    :math:`\mu = \ln m - \sigma^2/2`; gamma shape :math:`1/c^2`, scale :math:`m c^2`.
    Length-biased forms: Weibull :math:`\eta\,G^{1/k}` with :math:`G \sim
    \mathrm{Gamma}(1 + 1/k)`; lognormal :math:`(\mu + \sigma^2, \sigma)`; gamma shape + 1;
    deterministic :math:`m`.

    Examples
    --------
    >>> import numpy as np
    >>> d = Distribution.weibull(2.0)
    >>> d
    Distribution.weibull(2.0)
    >>> round(d.scv, 4)
    0.2732
    >>> x = d.sample(np.random.default_rng(1), 100_000, mean=10.0)
    >>> round(float(x.mean()), 1)
    10.0
    >>> Distribution.deterministic(60.0).sample(np.random.default_rng(1), 3)
    array([60., 60., 60.])
    """

    kind: str
    shape: float | None = None
    mean: float | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.kind, str) or self.kind not in _KINDS:
            raise ValueError(
                f"kind must be one of {', '.join(map(repr, _KINDS))}; got {_short(self.kind)}"
            )
        needs_shape = self.kind in ("weibull", "lognormal", "gamma")
        if needs_shape:
            if not _positive(self.shape):
                raise ValueError(
                    f"shape of a {self.kind} distribution must be a finite number > 0; "
                    f"got {_short(self.shape)}"
                )
            if self.kind == "weibull" and not WEIBULL_SHAPES[0] <= self.shape <= WEIBULL_SHAPES[1]:
                raise ValueError(
                    f"shape of a weibull distribution must be in [{WEIBULL_SHAPES[0]:g}, "
                    f"{WEIBULL_SHAPES[1]:g}] (outside, the SCV is above 1e58 or below 2e-4); "
                    f"got {_short(self.shape)}"
                )
            object.__setattr__(self, "shape", float(self.shape))  # type: ignore[arg-type]
        elif self.shape is not None:
            raise ValueError(f"a {self.kind} distribution takes no shape; got {_short(self.shape)}")
        if self.mean is not None:
            if not _positive(self.mean):
                raise ValueError(f"mean must be a finite number > 0; got {_short(self.mean)}")
            object.__setattr__(self, "mean", float(self.mean))

    # -- constructors ----------------------------------------------------------------------------
    @classmethod
    def exponential(cls, mean: float | None = None) -> Distribution:
        """Exponential (memoryless) with the given mean [caller's unit]."""
        return cls("exponential", None, mean)

    @classmethod
    def weibull(cls, shape: float, mean: float | None = None) -> Distribution:
        """Weibull with shape ``k`` (< 1 infant mortality, 1 exponential, > 1 wear-out)."""
        return cls("weibull", shape, mean)

    @classmethod
    def lognormal(cls, scv: float, mean: float | None = None) -> Distribution:
        """Lognormal with squared coefficient of variation ``scv`` [-]."""
        return cls("lognormal", scv, mean)

    @classmethod
    def gamma(cls, scv: float, mean: float | None = None) -> Distribution:
        """Gamma with squared coefficient of variation ``scv`` [-] (1 = exponential)."""
        return cls("gamma", scv, mean)

    @classmethod
    def deterministic(cls, value: float | None = None) -> Distribution:
        """Return a constant (e.g. a scripted failover of fixed length)."""
        return cls("deterministic", None, value)

    @classmethod
    def from_scv(cls, scv: float, mean: float | None = None, family: str = "gamma") -> Distribution:
        """Exponential if ``scv == 1``, deterministic if 0, else ``family`` with that SCV.

        Raises
        ------
        ValueError
            If ``scv`` is not a single finite number >= 0 or ``family`` is unknown.
        """
        scv = scalar("scv", scv, check_nonnegative)
        if scv == 1.0:
            return cls.exponential(mean)
        if scv == 0.0:
            return cls.deterministic(mean)
        if not isinstance(family, str) or family not in ("gamma", "lognormal"):
            raise ValueError(f"family must be 'gamma' or 'lognormal'; got {_short(family)}")
        return cls(family, scv, mean)

    def __repr__(self) -> str:
        args = [] if self.shape is None else [repr(self.shape)]
        if self.mean is not None:
            args.append(("mean=" if self.kind != "deterministic" else "") + repr(self.mean))
        return f"Distribution.{self.kind}({', '.join(args)})"

    # -- properties ------------------------------------------------------------------------------
    @property
    def is_exponential(self) -> bool:
        """True for the exponential family (or Weibull shape 1, gamma SCV 1)."""
        return (
            self.kind == "exponential"
            or (self.kind == "weibull" and self.shape == 1.0)
            or (self.kind == "gamma" and self.shape == 1.0)
        )

    @property
    def scv(self) -> float:
        """Squared coefficient of variation (variance / mean²) [-]."""
        if self.kind == "exponential":
            return 1.0
        if self.kind == "deterministic":
            return 0.0
        if self.kind == "weibull":
            k = self.shape
            g1 = math.lgamma(1.0 + 1.0 / k)  # type: ignore[operator]
            g2 = math.lgamma(1.0 + 2.0 / k)  # type: ignore[operator]
            return math.expm1(g2 - 2.0 * g1)
        return float(self.shape)  # type: ignore[arg-type]

    def with_mean(self, mean: float) -> Distribution:
        """Return this family and shape with the mean set (unless it already has one)."""
        return self if self.mean is not None else Distribution(self.kind, self.shape, mean)

    def _mean(self, mean: float | None) -> float:
        m = self.mean if self.mean is not None else mean
        if m is None:
            raise ValueError("this distribution has no mean; pass mean= or use with_mean()")
        return float(m)

    # -- sampling --------------------------------------------------------------------------------
    def sample(self, rng: np.random.Generator, size: Any, mean: float | None = None) -> np.ndarray:
        """Draw ``size`` values (``mean`` is used when the distribution has none)."""
        m = self._mean(mean)
        k = self.kind
        if k == "exponential":
            return rng.exponential(m, size)
        if k == "deterministic":
            return np.full(size, m)
        if k == "weibull":
            scale = m / math.gamma(1.0 + 1.0 / self.shape)  # type: ignore[operator]
            return scale * rng.weibull(self.shape, size)  # type: ignore[arg-type]
        if k == "lognormal":
            s2 = math.log1p(self.shape)  # type: ignore[arg-type]
            return rng.lognormal(math.log(m) - 0.5 * s2, math.sqrt(s2), size)
        a = 1.0 / self.shape  # type: ignore[operator]
        return rng.gamma(a, m * self.shape, size)  # type: ignore[operator]

    def sample_equilibrium(
        self, rng: np.random.Generator, size: Any, mean: float | None = None
    ) -> np.ndarray:
        """Draw from the equilibrium (stationary residual-life) distribution."""
        m = self._mean(mean)
        k = self.kind
        v = rng.random(size)
        if k == "exponential":
            return rng.exponential(m, size)
        if k == "deterministic":
            return v * m
        if k == "weibull":
            sh = self.shape
            scale = m / math.gamma(1.0 + 1.0 / sh)  # type: ignore[operator]
            g = rng.gamma(1.0 + 1.0 / sh, 1.0, size)  # type: ignore[operator]
            return v * scale * g ** (1.0 / sh)  # type: ignore[operator]
        if k == "lognormal":
            s2 = math.log1p(self.shape)  # type: ignore[arg-type]
            return v * rng.lognormal(math.log(m) + 0.5 * s2, math.sqrt(s2), size)
        a = 1.0 / self.shape  # type: ignore[operator]
        return v * rng.gamma(a + 1.0, m * self.shape, size)  # type: ignore[operator]


def _positive(x: Any) -> bool:
    if not isinstance(x, int | float | np.integer | np.floating) or isinstance(x, bool):
        return False
    try:
        return math.isfinite(x) and x > 0
    except OverflowError:  # an int no double holds (10**400)
        return False
