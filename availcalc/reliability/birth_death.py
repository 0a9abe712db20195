r"""k-out-of-n with shared repair crews as a birth–death chain, in log space (layer 1).

State :math:`i` = number of failed units, :math:`i = 0, \dots, n`. Units fail at rate
:math:`\lambda` each, including while the system is down, so the birth rate is
:math:`b_i = (n-i)\lambda`; :math:`r` crews repair at :math:`d_i = \min(i, r)\mu`. The
unnormalised weights :math:`p_0 = 1`, :math:`p_i = p_{i-1} b_{i-1}/d_i` are kept as logarithms,
so a million units or an unavailability of 1e-300 neither overflow nor underflow, and every
small probability is summed directly (never :math:`1 - x`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["KofNSolution", "kofn_log_weights", "kofn_solution", "nlb_converging_probabilities"]


def logsumexp(x: np.ndarray) -> float:
    """``log(sum(exp(x)))`` without overflow (plain numpy: scipy's is slower on tiny inputs)."""
    m = float(x.max())
    if m == -math.inf:
        return -math.inf
    return m + math.log(float(np.exp(x - m).sum()))


def kofn_log_weights(n: int, lam: float, mu: float, crews: int) -> np.ndarray:
    r"""Logarithms of the unnormalised birth–death weights :math:`p_i`, :math:`i = 0..n`.

    Parameters
    ----------
    n : int
        Number of units.
    lam : float
        Failure rate of one unit :math:`\lambda` [1/h].
    mu : float
        Repair rate of one crew :math:`\mu` [1/h], > 0.
    crews : int
        Repair crews :math:`r` (``>= n`` means one per unit).

    Returns
    -------
    ndarray
        :math:`\ln p_i` with :math:`p_0 = 1`.

    Notes
    -----
    .. math::

        \ln p_i = \sum_{j=1}^{i} \ln\frac{(n-j+1)\,\rho}{\min(j, r)},\qquad \rho = \lambda/\mu,

    i.e. :math:`p_i = \binom{n}{i}\rho^i` for :math:`i \le r` and
    :math:`p_i = \binom{n}{i}\frac{i!}{r!\,r^{i-r}}\rho^i` beyond [1]_, [2]_.

    References
    ----------
    .. [1] K. S. Trivedi, *Probability and Statistics with Reliability, Queuing, and Computer
       Science Applications*, 2nd ed., Wiley, 2002, ch. 8 (k-out-of-n system with repair).
    .. [2] D. Gross, J. F. Shortle, J. M. Thompson, C. M. Harris, *Fundamentals of Queueing
       Theory*, 4th ed., Wiley, 2008, §2.8 (finite-source / machine-repair model).

    Examples
    --------
    >>> [round(float(x), 6) for x in np.exp(kofn_log_weights(2, 0.01, 1.0, 1))]
    [1.0, 0.02, 0.0002]
    """
    j = np.arange(1, n + 1, dtype=float)
    log_rho = math.log(lam) - math.log(mu)
    steps = np.log(n - j + 1.0) - np.log(np.minimum(j, crews)) + log_rho
    out = np.empty(n + 1)
    out[0] = 0.0
    np.cumsum(steps, out=out[1:])
    return out


@dataclass(frozen=True)
class KofNSolution:
    """Steady-state solution of the k-of-n birth–death chain (see :func:`kofn_solution`)."""

    log_weights: np.ndarray  #: ln p_i, i = failed units
    log_total: float  #: ln sum_i p_i
    availability: float
    unavailability: float
    log10_unavailability: float
    failure_frequency: float  #: [1/h]
    mttf: float  #: [h] from all units up


def kofn_solution(n: int, k: int, lam: float, mu: float, crews: int) -> KofNSolution:
    r"""Availability, failure frequency and MTTF of k-of-n with ``crews`` repair crews.

    Parameters
    ----------
    n, k : int
        Units, and units needed (:math:`1 \le k \le n`).
    lam : float
        Unit failure rate :math:`\lambda` [1/h], > 0.
    mu : float
        Repair rate per crew :math:`\mu` [1/h], >= 0 (0: not repairable).
    crews : int
        Repair crews :math:`r \ge 1`.

    Returns
    -------
    KofNSolution

    Notes
    -----
    With :math:`\pi_i = p_i/\sum_j p_j` (:func:`kofn_log_weights`):

    .. math::

        U = \sum_{i>n-k}\pi_i,\quad A = \sum_{i\le n-k}\pi_i,\quad
        \omega = \pi_{n-k}\,k\lambda,\quad
        \mathrm{MTTF} = \sum_{j=0}^{n-k}\frac{\sum_{i\le j} p_i}{b_j\,p_j},

    the last being the first-passage time from 0 to :math:`n-k+1` of a birth–death chain [1]_.
    Each sum is a log-sum-exp of its own terms. Without repair (:math:`\mu = 0`) the chain
    ends in state :math:`n`: :math:`A = 0`, :math:`\omega = 0`,
    :math:`\mathrm{MTTF} = \lambda^{-1}\sum_{i=k}^{n} 1/i`.

    References
    ----------
    .. [1] K. S. Trivedi, *Probability and Statistics with Reliability, Queuing, and Computer
       Science Applications*, 2nd ed., Wiley, 2002, ch. 8.

    Examples
    --------
    1-of-2, one crew, :math:`\rho = 0.01`: :math:`U = 2\rho^2/(1+2\rho+2\rho^2)`.

    >>> s = kofn_solution(2, 1, 0.01, 1.0, 1)
    >>> float(f"{s.unavailability:.10e}"), float(f"{2e-4 / 1.0202:.10e}")
    (0.0001960399922, 0.0001960399922)
    """
    m = n - k  # last up state
    if mu == 0.0:
        lw = np.full(n + 1, -np.inf)
        lw[n] = 0.0
        mttf = float(np.sum(1.0 / (lam * np.arange(k, n + 1, dtype=float))))
        return KofNSolution(lw, 0.0, 0.0, 1.0, 0.0, 0.0, mttf)
    lw = kofn_log_weights(n, lam, mu, crews)
    log_total = float(logsumexp(lw))
    log_up = float(logsumexp(lw[: m + 1]))
    availability = math.exp(log_up - log_total)
    if m + 1 <= n:
        log_u = float(logsumexp(lw[m + 1 :])) - log_total
    else:  # pragma: no cover - k >= 1 always leaves state n down
        log_u = -math.inf
    unavailability = math.exp(log_u)
    omega = math.exp(lw[m] - log_total) * k * lam
    # MTTF: log of (sum_{i<=j} p_i) / (b_j p_j), j = 0..m
    cum = np.logaddexp.accumulate(lw[: m + 1])
    j = np.arange(m + 1, dtype=float)
    log_terms = cum - np.log((n - j) * lam) - lw[: m + 1]
    log_mttf = logsumexp(log_terms)
    mttf = math.exp(log_mttf) if log_mttf < 709.0 else math.inf
    return KofNSolution(
        lw, log_total, availability, unavailability, log_u / math.log(10.0), omega, mttf
    )


def nlb_converging_probabilities(
    pi: np.ndarray, n: int, k: int, lam: float, mu: float, crews: int, gamma: Any
) -> np.ndarray:
    r"""Probabilities :math:`x_i = P(i \text{ failed}, \text{converging})` of the NLB model.

    Parameters
    ----------
    pi : (n + 1,) ndarray
        Birth–death marginal :math:`\pi_i` of the number of failed nodes.
    n, k : int
        Nodes and nodes needed.
    lam, mu : float
        Node failure and repair rates [1/h].
    crews : int
        Repair crews.
    gamma : float or (n - k + 1,) array_like
        Rate :math:`\gamma_i` at which the window of state :math:`i` ends [1/h], > 0: one
        number for all states (:math:`1/t_{conv}`), or one per state.

    Returns
    -------
    ndarray
        :math:`x_i` for :math:`i = 0..n-k` (zero-length if :math:`k = n`).

    Notes
    -----
    The converging flag does not change the rates of :math:`i`, so :math:`i` is lumpable and its
    marginal is :math:`\pi_i`. Balance of the states :math:`(i, 1)`, which are entered by a
    failure that leaves the pool running and by a repair while converging:

    .. math::

        x_i\,(b_i + d_i + \gamma_i) = [i \ge 1]\,\pi_{i-1} b_{i-1} + d_{i+1} x_{i+1},
        \qquad x_{n-k+1} = 0,

    solved from :math:`i = n-k` downwards: a bidiagonal back-substitution of positive terms.

    Examples
    --------
    >>> pi = np.array([0.98, 0.0196, 0.0004])
    >>> x = nlb_converging_probabilities(pi, 2, 1, 0.01, 1.0, 1, 360.0)
    >>> [float(f"{v:.6e}") for v in x]
    [1.508031e-07, 5.429212e-05]
    """
    m = n - k
    if m < 1:
        return np.zeros(0)
    x = np.zeros(m + 1)
    g = np.broadcast_to(np.asarray(gamma, dtype=float), (m + 1,))
    nxt = 0.0
    for i in range(m, -1, -1):
        b_i = (n - i) * lam
        d_i = min(i, crews) * mu
        src = pi[i - 1] * (n - i + 1) * lam if i >= 1 else 0.0
        d_next = min(i + 1, crews) * mu
        x[i] = (src + d_next * nxt) / (b_i + d_i + g[i])
        nxt = x[i]
    return x
