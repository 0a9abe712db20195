r"""M/M/c/K: ``c`` exponential servers and room for at most ``K >= c`` customers in the system.

Arrivals that find ``K`` customers present are lost (blocked). A finite system has a steady
state for every load, so ``ρ >= 1`` is a valid regime here. O(1) per case in log space (plus
O(K) for :meth:`MMcK.state_probabilities`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from availcalc._validation import broadcast, check_integer, check_positive
from availcalc.queueing._common import (
    check_load_finite,
    check_rates_servers_s,
    describe,
    fmt,
    plain,
)
from availcalc.queueing._kernels import (
    geom_mean_s,
    geom_mean_v,
    log_erlang_b_s,
    log_erlang_b_v,
    log_geom_s,
    log_geom_v,
    log_poisson_cdf_s,
    log_poisson_cdf_v,
    log_poisson_pmf_s,
    log_poisson_pmf_v,
    logaddexp_s,
)

_NAMES = ("arrival_rate", "service_rate", "servers", "capacity")

__all__ = ["MMcK"]


def mmck_core_s(lam: float, mu: float, c: float, k: float) -> tuple[float, ...]:
    """Scalar M/M/c/K: ``(a, log_pK, log_p0, busy, Lq)`` (``busy`` = mean busy servers)."""
    a = lam / mu
    ell = math.log1p((a - c) / c) if a > 0.5 * c else math.log(a / c)  # ln(rho), accurate
    m = k - c
    lr = -log_erlang_b_s(c - 1.0, a)
    la = math.log(c) + lr - math.log(a)
    ls2 = log_geom_s(ell, m)
    lz = logaddexp_s(logaddexp_s(0.0, la), ls2)
    busy = min(math.exp(math.log(c) + logaddexp_s(lr, ls2) - lz), c, a)  # rounding guard
    log_pk = m * ell - lz
    # p_0 directly: 1/p_0 = e^a (P(N <= c) + P(N = c) G), no cancellation when a << c
    log_p0 = -a - logaddexp_s(log_poisson_cdf_s(c, a), log_poisson_pmf_s(c, a) + ls2)
    lq = math.exp(ls2 - lz) * geom_mean_s(ell, m) if m > 0.0 else 0.0
    return a, log_pk, log_p0, busy, lq


def mmck_core_v(lam, mu, c, k) -> tuple[np.ndarray, ...]:
    """Vectorised :func:`mmck_core_s`."""
    a = lam / mu
    ell = np.where(a > 0.5 * c, np.log1p((a - c) / c), np.log(a / c))  # ln(rho), accurate
    m = k - c
    lr = -log_erlang_b_v(c - 1.0, a)
    la = np.log(c) + lr - np.log(a)
    ls2 = log_geom_v(ell, m)
    lz = np.logaddexp(np.logaddexp(0.0, la), ls2)
    busy = np.minimum(np.exp(np.log(c) + np.logaddexp(lr, ls2) - lz), np.minimum(c, a))
    log_pk = m * ell - lz
    log_p0 = -a - np.logaddexp(log_poisson_cdf_v(c, a), log_poisson_pmf_v(c, a) + ls2)
    lq = np.where(m > 0.0, np.exp(ls2 - lz) * geom_mean_v(ell, np.maximum(m, 1.0)), 0.0)
    return a, log_pk, log_p0, busy, lq


def _check_capacity(c: Any, k: Any) -> None:
    check_integer("capacity", k, minimum=1)
    bad = np.asarray(k, dtype=float) < np.asarray(c, dtype=float)
    if bad.any():
        kk, cc = np.broadcast_arrays(np.asarray(k), np.asarray(c))
        i = np.flatnonzero(bad.ravel() if bad.ndim else bad.reshape(1))[0]
        raise ValueError(
            f"capacity must be an integer >= servers; got capacity={kk.ravel()[i]!r} "
            f"< servers={cc.ravel()[i]!r}"
        )


@dataclass(frozen=True, eq=False, repr=False)
class MMcK:
    r"""M/M/c/K queue: ``c`` exponential servers, at most ``K`` customers in the system.

    Parameters
    ----------
    arrival_rate : numeric
        Mean arrival rate λ > 0 (offered, before blocking). [1/time]
    service_rate : numeric
        Mean service rate per server μ > 0. [1/time]
    servers : numeric
        Number of servers c, an integer >= 1. [-]
    capacity : numeric
        System capacity K (in service + waiting), an integer >= ``servers``. ``K = c`` is the
        Erlang loss system M/M/c/c. [-]

    Attributes
    ----------
    offered_load : numeric
        a = λ/μ. [erlang]
    blocking_prob : numeric
        :math:`p_K`, probability that an arrival is lost (PASTA). [-]
    log_blocking_prob : numeric
        ln p_K, finite where p_K underflows. [-]
    throughput : numeric
        X = λ(1 - p_K), accepted (and served) rate. [1/time]
    utilization : numeric
        X/(cμ), mean fraction of busy servers. [-]
    prob_empty : numeric
        :math:`p_0`. [-]
    mean_in_system : numeric
        L = Σ n p_n. [-]
    mean_queue_length : numeric
        Lq = Σ (n - c) p_n over n > c. [-]
    mean_response : numeric
        W = L/X, for accepted customers (Little). [time]
    mean_wait : numeric
        Wq = Lq/X, for accepted customers (Little). [time]

    Raises
    ------
    ValueError
        If a rate is not a finite number > 0, ``servers`` is not an integer >= 1, or
        ``capacity`` is not an integer >= ``servers``.

    See Also
    --------
    erlang_b, MMc

    Notes
    -----
    With :math:`a = λ/μ`, :math:`ρ = a/c`, :math:`m = K - c`, the stationary distribution is

    .. math::

        p_n \propto \frac{a^n}{n!} \ (n \le c), \qquad
        p_n \propto \frac{a^c}{c!} ρ^{\,n-c} \ (c < n \le K).

    Relative to :math:`p_c` the two parts sum to :math:`1/B(c, a)` (Erlang B) and
    :math:`G = \sum_{j=1}^{m} ρ^j`, so with :math:`R = 1/B(c-1, a)` (and
    :math:`1/B(c, a) = 1 + cR/a`):

    .. math::

        Z = 1 + \frac{cR}{a} + G, \quad p_K = \frac{ρ^m}{Z}, \quad
        \frac{X}{μ} = \frac{c (R + G)}{Z}, \quad
        L_q = \frac{G\, \bar{j}}{Z}, \quad L = \frac{X}{μ} + L_q,

    where :math:`\bar{j} = 1 + (h(mℓ) - h(ℓ))/ℓ`, :math:`h(x) = x/(1 - e^{-x})`,
    :math:`ℓ = \ln ρ`, is the mean of the truncated geometric law on :math:`1..m`. Every term is
    positive and is evaluated in log space (``expm1``/``log1p``, a series near
    :math:`ρ = 1`), so the cost is O(1) per case and nothing overflows at :math:`c = 1000,
    K = 10^5` or for :math:`ρ \gg 1`. The throughput is computed from the busy servers rather
    than as :math:`λ(1 - p_K)`, which would cancel when :math:`p_K \to 1`.

    References
    ----------
    .. [1] D. Gross, J. F. Shortle, J. M. Thompson, C. M. Harris, *Fundamentals of Queueing
       Theory*, 4th ed., Wiley, 2008, §2.5 (finite buffer M/M/c/K), §2.6 (Erlang loss).

    Examples
    --------
    >>> q = MMcK(arrival_rate=8.0, service_rate=1.0, servers=10, capacity=15)
    >>> round(q.blocking_prob, 6), round(q.mean_wait, 6)
    (0.030038, 0.081428)
    >>> round(MMcK(8.0, 1.0, 10, 10).blocking_prob, 6)  # K = c is Erlang B
    0.121661
    >>> round(MMcK(2000.0, 1.0, 1000, 100_000).utilization, 6)  # overload is valid
    1.0
    """

    arrival_rate: Any
    service_rate: Any
    servers: Any
    capacity: Any
    offered_load: Any = field(init=False)
    blocking_prob: Any = field(init=False)
    log_blocking_prob: Any = field(init=False)
    throughput: Any = field(init=False)
    utilization: Any = field(init=False)
    prob_empty: Any = field(init=False)
    mean_in_system: Any = field(init=False)
    mean_queue_length: Any = field(init=False)
    mean_response: Any = field(init=False)
    mean_wait: Any = field(init=False)

    def __post_init__(self) -> None:
        lam, mu, c, k = self.arrival_rate, self.service_rate, self.servers, self.capacity
        d = self.__dict__
        d["_inputs"] = (lam, mu, c, k)
        if plain(lam, mu, c, k):
            lam, mu, c = check_rates_servers_s(lam, mu, c)
            if type(k) is not int or k < c:
                _check_capacity(c, k)
            k = float(k)
            a, log_pk, log_p0, busy, lq = mmck_core_s(lam, mu, c, k)
            x = mu * busy
            d["_scalar"] = True
            d["offered_load"] = a
            d["blocking_prob"] = math.exp(log_pk)
            d["log_blocking_prob"] = log_pk
            d["throughput"] = x
            d["utilization"] = busy / c
            d["prob_empty"] = math.exp(log_p0)
            d["mean_in_system"] = busy + lq
            d["mean_queue_length"] = lq
            d["mean_response"] = (busy + lq) / x
            d["mean_wait"] = lq / x
            return
        check_positive("arrival_rate", lam)
        check_positive("service_rate", mu)
        check_integer("servers", c, minimum=1)
        (lam, mu, c, k), wrap = broadcast(lam, mu, c, k, names=_NAMES)
        lam, mu, c, k = (np.atleast_1d(v) for v in (lam, mu, c, k))  # e.g. Decimal scalars
        check_load_finite(lam, mu)
        _check_capacity(c, k)
        a, log_pk, log_p0, busy, lq = mmck_core_v(lam, mu, c, k)
        x = mu * busy
        d["_scalar"] = False
        d["offered_load"] = wrap(a)
        d["blocking_prob"] = wrap(np.exp(log_pk))
        d["log_blocking_prob"] = wrap(log_pk)
        d["throughput"] = wrap(x)
        d["utilization"] = wrap(busy / c)
        d["prob_empty"] = wrap(np.exp(log_p0))
        d["mean_in_system"] = wrap(busy + lq)
        d["mean_queue_length"] = wrap(lq)
        d["mean_response"] = wrap((busy + lq) / x)
        d["mean_wait"] = wrap(lq / x)

    def state_probabilities(self) -> np.ndarray:
        r"""Stationary distribution :math:`p_0, \dots, p_K` (scalar parameters only).

        Returns
        -------
        ndarray
            Array of length ``K + 1`` summing to 1, computed in log space (O(K)).

        Raises
        ------
        ValueError
            If the model was built from array or Series parameters.

        Examples
        --------
        >>> MMcK(1.0, 1.0, 1, 2).state_probabilities().round(4)
        array([0.3333, 0.3333, 0.3333])
        """
        if not self._scalar:
            raise ValueError(
                "state_probabilities needs scalar parameters (arrival_rate, service_rate, "
                "servers, capacity); build one MMcK per case"
            )
        lam, mu = float(self.arrival_rate), float(self.service_rate)
        c, k = int(self.servers), int(self.capacity)
        a = lam / mu
        n = np.arange(c + 1, dtype=float)
        low = log_poisson_pmf_v(n, np.full_like(n, a))
        ell = math.log1p((a - c) / c) if a > 0.5 * c else math.log(a / c)
        high = low[-1] + np.arange(1, k - c + 1, dtype=float) * ell
        w = np.exp(np.concatenate([low, high]) - max(low.max(), high.max(initial=-np.inf)))
        return w / w.sum()  # numpy's pairwise sum: error ~ log2(K) ulps

    def to_frame(self) -> pd.DataFrame:
        """Tidy table: one row per case, inputs and outputs as columns.

        Returns
        -------
        pandas.DataFrame
            Columns ``arrival_rate, service_rate, servers, capacity, offered_load,
            blocking_prob, throughput, utilization, prob_empty, mean_in_system,
            mean_queue_length, mean_response, mean_wait``.
        """
        names = (
            "arrival_rate service_rate servers capacity offered_load blocking_prob throughput "
            "utilization prob_empty mean_in_system mean_queue_length mean_response mean_wait"
        ).split()
        cols = {n: getattr(self, n) for n in names}
        shape = np.broadcast_shapes(*(np.shape(v) for v in cols.values()))
        data = {n: np.broadcast_to(np.asarray(v), shape).ravel() for n, v in cols.items()}
        series = next((x for x in self._inputs if isinstance(x, pd.Series)), None)
        return pd.DataFrame(data, index=series.index if series is not None else None)

    def __repr__(self) -> str:
        head = (
            f"MMcK(arrival_rate={describe(self.arrival_rate)}, "
            f"service_rate={describe(self.service_rate)}, servers={describe(self.servers)}, "
            f"capacity={describe(self.capacity)})"
        )
        if self._scalar:
            return (
                f"{head}: blocking_prob={fmt(self.blocking_prob)}, "
                f"throughput={fmt(self.throughput)}, utilization={fmt(self.utilization)}, "
                f"mean_wait={fmt(self.mean_wait)}, mean_response={fmt(self.mean_response)}"
            )
        return f"{head}: {np.size(np.asarray(self.blocking_prob))} cases"
