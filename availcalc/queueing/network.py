r"""Open Jackson networks of M/M/c stations, and tandem lines as a special case."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from availcalc._validation import (
    _short,
    check_integer,
    check_nonnegative,
    check_positive,
    scalar,
    sequence,
)
from availcalc.queueing.mmc import mmc_core_v

__all__ = ["OpenNetwork", "tandem"]


def _vector(name: str, x: Any, n: int | None) -> np.ndarray:
    arr = np.atleast_1d(np.asarray(x, dtype=float))
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a 1-d sequence (one value per station); got {arr.shape}")
    if n is not None and arr.size != n:
        raise ValueError(f"{name} must have one value per station ({n}); got {arr.size}")
    return arr


@dataclass(frozen=True, eq=False, repr=False)
class OpenNetwork:
    r"""Open Jackson network: Poisson external arrivals, M/M/c stations, Markov routing.

    Parameters
    ----------
    arrival_rates : sequence of float
        External arrival rate λ_i >= 0 at each station (at least one > 0). [1/time]
    service_rates : sequence of float
        Service rate per server μ_i > 0 at each station. [1/time]
    servers : sequence of int
        Number of servers c_i >= 1 at each station. [-]
    routing : array_like, shape (n, n)
        Routing matrix :math:`P`: ``routing[i, j]`` is the probability that a customer leaving
        station i goes next to station j; ``1 - sum_j routing[i, j]`` leaves the network.
        Entries in [0, 1], row sums <= 1, and every customer must eventually leave. [-]
    names : sequence of str, optional
        Station names (default ``"station 1"``, ``"station 2"``, ...).

    Attributes
    ----------
    visit_rates : ndarray
        Total arrival rate γ_i at each station (solution of the traffic equations). [1/time]
    stable : bool
        Every station has γ_i < c_i μ_i.
    throughput : float
        Σ λ_i, the rate of customers entering (and, when stable, leaving). [1/time]
    mean_in_system : float
        Σ L_i, mean number of customers in the network (inf when unstable). [-]
    end_to_end_response : float
        Mean time an external arrival spends in the network, Σ γ_i W_i / Σ λ_i (inf when
        unstable). [time]
    stations : pandas.DataFrame
        One row per station: ``name, arrival_rate`` (γ_i), ``service_rate, servers,
        utilization, prob_wait, mean_wait, mean_response, mean_in_system, stable``.

    Raises
    ------
    ValueError
        If shapes disagree, a rate or a server count is invalid, a routing entry is outside
        [0, 1] or a row sums above 1, or customers can cycle forever (``I - P^T`` singular or
        with a non-positive solution).

    See Also
    --------
    tandem, MMc

    Notes
    -----
    The traffic equations :math:`γ = λ + P^{T} γ` are solved with ``numpy.linalg.solve``.
    By Jackson's theorem the stations then behave as independent M/M/c_i queues at rate
    :math:`γ_i`, and by Little's law the mean end-to-end sojourn of an external arrival is

    .. math::

        T = \frac{\sum_i γ_i W_i}{\sum_i λ_i} = \frac{\sum_i L_i}{\sum_i λ_i}.

    A station with no traffic (:math:`γ_i = 0`) reports zero wait and :math:`W_i = 1/μ_i`.

    References
    ----------
    .. [1] D. Gross, J. F. Shortle, J. M. Thompson, C. M. Harris, *Fundamentals of Queueing
       Theory*, 4th ed., Wiley, 2008, §4.2 (Jackson networks).
    .. [2] J. R. Jackson, "Jobshop-like queueing systems", *Management Science* 10(1), 1963,
       pp. 131–142.

    Examples
    --------
    A web tier that sends 20 % of its jobs back for a retry:

    >>> net = OpenNetwork([4.0, 0.0], [5.0, 10.0], [1, 1], [[0.0, 1.0], [0.2, 0.0]])
    >>> net.visit_rates
    array([5., 5.])
    >>> net.stable, round(net.end_to_end_response, 6)
    (False, inf)
    >>> net = OpenNetwork([4.0, 0.0], [8.0, 10.0], [1, 1], [[0.0, 1.0], [0.2, 0.0]])
    >>> round(net.end_to_end_response, 6)
    0.666667
    """

    arrival_rates: Any
    service_rates: Any
    servers: Any
    routing: Any
    names: Sequence[str] | None = None
    visit_rates: np.ndarray = field(init=False)
    stable: bool = field(init=False)
    throughput: float = field(init=False)
    mean_in_system: float = field(init=False)
    end_to_end_response: float = field(init=False)
    stations: pd.DataFrame = field(init=False)

    def __post_init__(self) -> None:
        lam = _vector("arrival_rates", self.arrival_rates, None)
        n = lam.size
        mu = _vector("service_rates", self.service_rates, n)
        c = _vector("servers", self.servers, n)
        p = np.asarray(self.routing, dtype=float)
        if p.shape != (n, n):
            raise ValueError(f"routing must be a square matrix of shape ({n}, {n}); got {p.shape}")
        check_nonnegative("arrival_rates", lam)
        if not lam.sum() > 0.0:
            raise ValueError("arrival_rates must have at least one station with a rate > 0")
        check_positive("service_rates", mu)
        check_integer("servers", c, minimum=1)
        if np.isnan(p).any() or (p < 0.0).any() or (p > 1.0).any():
            raise ValueError("routing entries must be probabilities in [0, 1]")
        rows = p.sum(axis=1)
        if (rows > 1.0 + 1e-12).any():
            i = int(np.argmax(rows))
            raise ValueError(f"routing row sums must be <= 1; row {i} sums to {rows[i]!r}")
        names = (
            [f"station {i + 1}" for i in range(n)]
            if self.names is None
            else sequence("names", self.names)
        )
        if len(names) != n:
            raise ValueError(f"names must have one entry per station ({n}); got {len(names)}")
        try:
            gamma = np.linalg.solve(np.eye(n) - p.T, lam)
        except np.linalg.LinAlgError:
            gamma = np.full(n, np.nan)
        if not (np.isfinite(gamma).all() and (gamma >= -1e-12 * gamma.max()).all()):
            raise ValueError(
                "routing must let every customer leave the network eventually "
                "(I - routing^T is singular or gives negative visit rates)"
            )
        gamma = np.maximum(gamma, 0.0)
        busy = gamma > 0.0
        r = mmc_core_v(np.where(busy, gamma, 1.0), mu, c)
        stable_i = np.where(busy, r["stable"], True)
        zero = np.zeros(n)
        wq = np.where(busy, r["wq"], zero)
        w = wq + 1.0 / mu
        length = np.where(busy, r["l"], zero)
        stable = bool(stable_i.all())
        throughput = float(lam.sum())
        total_l = float(length.sum()) if stable else np.inf
        d = self.__dict__
        d["visit_rates"] = gamma
        d["stable"] = stable
        d["throughput"] = throughput
        d["mean_in_system"] = total_l
        d["end_to_end_response"] = total_l / throughput
        d["stations"] = pd.DataFrame(
            {
                "name": names,
                "arrival_rate": gamma,
                "service_rate": mu,
                "servers": c.astype(int),
                "utilization": gamma / (c * mu),
                "prob_wait": np.where(busy, r["pw"], zero),
                "mean_wait": wq,
                "mean_response": w,
                "mean_in_system": length,
                "stable": stable_i,
            }
        )

    def __repr__(self) -> str:
        n = len(self.visit_rates)
        return (
            f"OpenNetwork({n} stations, throughput={self.throughput:.6g}, "
            f"stable={self.stable}, end_to_end_response={self.end_to_end_response:.6g})"
        )


def tandem(
    arrival_rate: float,
    stations: Sequence[tuple[float, int]],
    names: Sequence[str] | None = None,
) -> OpenNetwork:
    r"""Tandem line of M/M/c stations visited in order (a pipeline of send stages).

    Parameters
    ----------
    arrival_rate : float
        Poisson arrival rate λ into the first station. [1/time]
    stations : sequence of (float, int)
        ``(service_rate, servers)`` per station, in visiting order: μ_i [1/time], c_i [-].
    names : sequence of str, optional
        Station names.

    Returns
    -------
    OpenNetwork
        With routing ``P[i, i + 1] = 1``; every station sees rate λ and the end-to-end response
        is :math:`\sum_i W_i` (Burke's theorem: the departures of a stable M/M/c queue are
        Poisson).

    Raises
    ------
    ValueError
        As :class:`OpenNetwork`; also if ``stations`` is empty.

    Examples
    --------
    >>> line = tandem(8.0, [(1.0, 10), (4.0, 3)])
    >>> round(line.end_to_end_response, 6)
    1.565701
    """
    stations = sequence("stations", stations)
    for s in stations:
        if not (isinstance(s, Sequence) and not isinstance(s, str) and len(s) == 2):
            raise ValueError(f"stations must hold (service_rate, servers) pairs; got {_short(s)}")
    arrival_rate = scalar("arrival_rate", arrival_rate, check_positive)
    n = len(stations)
    mu = [s[0] for s in stations]
    c = [s[1] for s in stations]
    lam = np.zeros(n)
    lam[0] = arrival_rate
    p = np.eye(n, k=1)
    return OpenNetwork(lam, mu, c, p, names=names)
