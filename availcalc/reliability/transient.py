r"""Transient solution of CTMCs: matrix exponentials that keep their precision (layer 1).

Availability models are stiff: a switchover of seconds and an MTTF of 10⁵ h differ by 10⁸.
Plain uniformisation then needs :math:`qt \approx 10^{9}` terms, and a scaling-and-squaring
``expm`` loses about :math:`qt\,\varepsilon` relative accuracy: the slow rates are hidden in
diagonal entries :math:`1 - x` of the short-step matrix, and each squaring doubles that error
(1.7e-8 on the availability of a 1-second-switchover cluster after one year, measured). Here:

1. the short step :math:`e^{Mh}` (:math:`qh \le 1/2`) is the uniformisation sum

   .. math::

       e^{Mh} = e^{-qh}\sum_{k=0}^{K}\frac{(qh)^k}{k!}P^k,\quad P = I + M/q \ge 0,

   :math:`K = 18` (Poisson tail below 1e-20), so every off-diagonal entry is a sum of
   products of non-negative numbers with a small *relative* error [1]_, [2]_;
2. :math:`s` squarings give :math:`e^{Mt}`, and after the short step and after every squaring
   the rows of the block that must be stochastic are rescaled to sum to one. The slow
   behaviour then lives only in the accurate off-diagonal entries and the error no longer
   grows with :math:`qt` (1e-16 relative on the example above).

Reliability :math:`R(t)` uses the up states plus one absorbing state (a stochastic matrix), and
accumulated reward the augmented matrix :math:`[[Q, r], [0, 0]]` whose leading block is
stochastic. Chains above :data:`DENSE_TRANSIENT_MAX_STATES` states fall back to
:func:`scipy.sparse.linalg.expm_multiply` (Al-Mohy & Higham), without that guarantee.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import expm_multiply

from availcalc.reliability.markov import StateSpaceTooLarge

__all__ = [
    "DENSE_TRANSIENT_MAX_STATES",
    "SPARSE_TRANSIENT_MAX_STATES",
    "absorbed_probability",
    "accumulated_reward",
    "expm_metzler",
    "transient_distribution",
]

#: Chains up to this size use :func:`expm_metzler` (dense); larger ones ``expm_multiply``.
DENSE_TRANSIENT_MAX_STATES = 200
#: Largest chain for which transient measures are computed at all.
SPARSE_TRANSIENT_MAX_STATES = 200_000
#: Largest work :math:`\sum_t \lVert Q\rVert_1\,t\,(\mathrm{nnz} + n)` of the sparse path: the
#: steps of ``expm_multiply`` grow with :math:`\lVert Q\rVert_1 t` (Al-Mohy & Higham), each
#: costing about nnz + n; measured 5.5e-9 s per unit on a 774-state product chain, so the limit
#: is about one second. Beyond it the call is refused at once instead of running for minutes.
SPARSE_TRANSIENT_MAX_WORK = 2e8

_TAYLOR_TERMS = 18
_STEP = 0.5
_BATCH_BYTES = 64e6


def _generator_dense(rates: np.ndarray) -> np.ndarray:
    q = np.array(rates, dtype=float, copy=True)
    np.fill_diagonal(q, 0.0)
    np.fill_diagonal(q, -q.sum(axis=1))
    return q


def expm_metzler(m: np.ndarray, times: np.ndarray, stochastic: int = 0) -> np.ndarray:
    r"""Matrix exponentials :math:`e^{Mt}` of an essentially non-negative matrix.

    Parameters
    ----------
    m : (n, n) array_like
        Matrix with non-negative off-diagonal entries (a generator, or a generator augmented
        with a reward column) [1/time].
    times : (T,) array_like
        Times :math:`t \ge 0` [time].
    stochastic : int, default 0
        Size :math:`b` of the leading block of :math:`e^{Mt}` that is a stochastic matrix (the
        whole matrix for a generator, ``n - 1`` for a reward-augmented one); its rows are
        rescaled to sum to one after each step, and the rows after it, which must be zero in
        :math:`M`, are reset to unit rows. 0 disables both.

    Returns
    -------
    ndarray
        Shape ``(T, n, n)``.

    Notes
    -----
    See the module docstring. Cost :math:`O((K + s)\,n^3)` per time with
    :math:`s = \lceil\log_2(2qt)\rceil`: stiffness costs only its logarithm.

    References
    ----------
    .. [1] W. J. Stewart, *Introduction to the Numerical Solution of Markov Chains*, Princeton
       University Press, 1994, ch. 8 (uniformisation).
    .. [2] J. Xue, Q. Ye, "Entrywise relative perturbation bounds for exponentials of
       essentially non-negative matrices", Numerische Mathematik 110, pp. 393–403, 2008.

    Examples
    --------
    Two-state component, λ = 1, μ = 2, up at 0: :math:`A(t) = 2/3 + e^{-3t}/3`.

    >>> e = expm_metzler([[-1.0, 1.0], [2.0, -2.0]], [0.5], stochastic=2)
    >>> round(float(e[0, 0, 0]), 12), round(2 / 3 + math.exp(-1.5) / 3, 12)
    (0.741043386716, 0.741043386716)
    """
    m = np.asarray(m, dtype=float)
    t = np.atleast_1d(np.asarray(times, dtype=float))
    n = m.shape[0]
    q = float(np.max(-np.diag(m), initial=0.0))
    if q <= 0.0:
        q = float(np.max(np.abs(m), initial=0.0)) or 1.0
    p = m / q
    p[np.diag_indices(n)] = np.maximum(1.0 + np.diag(m) / q, 0.0)
    powers = np.empty((_TAYLOR_TERMS + 1, n, n))
    powers[0] = np.eye(n)
    for k in range(1, _TAYLOR_TERMS + 1):
        powers[k] = powers[k - 1] @ p
    with np.errstate(over="ignore"):  # q t near or beyond the double range: see `huge`
        qt = t * q
    huge = ~(qt < 1e300)
    qt = np.where(huge, 1.0, qt)
    s = np.ceil(np.log2(np.maximum(qt, _STEP) / _STEP))  # squarings: qt / 2^s <= 1/2
    x = qt / np.exp2(s)
    if huge.any():  # the same s and x from log2(t) + log2(q): q t and 2^s would overflow
        log2_qt = np.log2(t[huge]) + math.log2(q)
        s[huge] = np.ceil(log2_qt - math.log2(_STEP))
        x[huge] = np.exp2(log2_qt - s[huge])
    s = s.astype(int)
    k = np.arange(_TAYLOR_TERMS + 1)
    lgk = np.array([math.lgamma(v + 1.0) for v in k])
    pos = x > 0
    logx = np.log(np.where(pos, x, 1.0))
    coef = np.exp(k[None, :] * logx[:, None] - lgk[None, :] - x[:, None])
    coef[~pos, 1:] = 0.0
    coef[:, 0] = np.exp(-x)
    b = stochastic

    def renorm(e: np.ndarray) -> None:
        if b:
            e[:, :b, :b] /= e[:, :b, :b].sum(axis=2, keepdims=True)
            if b < n:  # zero rows of M: exactly unit rows of e^{Mt}, never (1 ± ε)^(2^s)
                e[:, b:, :] = np.eye(n)[b:]

    out = np.empty((t.size, n, n))
    chunk = max(1, int(_BATCH_BYTES // (8 * n * n)))
    for lo in range(0, t.size, chunk):
        sl = slice(lo, lo + chunk)
        e = np.tensordot(coef[sl], powers, axes=(1, 0))
        renorm(e)
        ss = s[sl]
        for j in range(int(ss.max(initial=0))):
            sel = ss > j
            sq = e[sel] @ e[sel]
            renorm(sq)
            e[sel] = sq
        out[sl] = e
    return out


def _check_size(n: int) -> None:
    if n > SPARSE_TRANSIENT_MAX_STATES:
        raise StateSpaceTooLarge(
            f"transient measures are limited to chains of at most "
            f"{SPARSE_TRANSIENT_MAX_STATES} states; this one has {n}"
        )


def _check_work(gen: sp.sparray, t: np.ndarray) -> None:
    """Refuse a sparse transient solve whose work exceeds :data:`SPARSE_TRANSIENT_MAX_WORK`."""
    norm = float(abs(gen).sum(axis=0).max(initial=0.0))
    work = norm * float(t.sum()) * (gen.nnz + gen.shape[0])
    if work > SPARSE_TRANSIENT_MAX_WORK:
        raise StateSpaceTooLarge(
            f"t_h up to {float(t.max()):.6g} is too long for the transient solution of this "
            f"{gen.shape[0]}-state chain: about {work:.1e} sparse operations "
            f"(||Q|| t (nnz + n), limit {SPARSE_TRANSIENT_MAX_WORK:.0e}); ask for shorter "
            "times or a smaller model"
        )


def _absorbing_expm(dense: np.ndarray, exit_rates: np.ndarray, t: np.ndarray) -> np.ndarray:
    """:math:`e^{Gt}` of the rates plus one absorbing state ``n`` that collects the exits.

    The generator stays conservative, so the whole matrix is stochastic (``stochastic=n+1``).
    """
    n = dense.shape[0]
    gen = np.zeros((n + 1, n + 1))
    gen[:n, :n] = dense
    gen[:n, n] = exit_rates
    return expm_metzler(_generator_dense(gen), t, stochastic=n + 1)


def transient_distribution(
    rates: np.ndarray | sp.spmatrix | sp.sparray,
    p0: np.ndarray,
    times: np.ndarray,
    *,
    exit_rates: np.ndarray | None = None,
) -> np.ndarray:
    r"""State probabilities :math:`p(t) = p(0)\,e^{Qt}` at several times.

    Parameters
    ----------
    rates : (n, n) array_like or sparse
        Transition rates [1/time], diagonal ignored.
    p0 : (n,) array_like
        Initial distribution.
    times : (T,) array_like
        Times [time], >= 0.
    exit_rates : (n,) array_like, optional
        Extra rates out of each state into an absorbing set that is not represented (a
        sub-generator :math:`Q_{UU}`, for reliability). The returned rows then sum to
        :math:`R(t) \le 1`.

    Returns
    -------
    ndarray
        Shape ``(T, n)``.

    Examples
    --------
    >>> p = transient_distribution([[0, 1.0], [2.0, 0]], [1.0, 0.0], [0.5])
    >>> [round(float(v), 9) for v in p[0]]
    [0.741043387, 0.258956613]
    """
    t = np.atleast_1d(np.asarray(times, dtype=float))
    p0 = np.asarray(p0, dtype=float)
    n = p0.size
    _check_size(n)
    extra = np.zeros(n) if exit_rates is None else np.asarray(exit_rates, dtype=float)
    if n < DENSE_TRANSIENT_MAX_STATES:
        dense = rates.toarray() if sp.issparse(rates) else np.asarray(rates, dtype=float)
        if exit_rates is None:
            e = expm_metzler(_generator_dense(dense), t, stochastic=n)
            return np.einsum("i,tij->tj", p0, e)
        e = _absorbing_expm(dense, extra, t)
        return np.einsum("i,tij->tj", p0, e[:, :n, :n])
    csr = sp.csr_array(rates, dtype=float)
    csr.setdiag(0.0)
    out_rates = np.asarray(csr.sum(axis=1)).ravel() + extra
    gen_t = (csr - sp.diags_array(out_rates)).T.tocsc()
    _check_work(gen_t, t)
    return np.vstack([expm_multiply(gen_t * ti, p0) for ti in t])


def absorbed_probability(
    rates: np.ndarray | sp.spmatrix | sp.sparray,
    p0: np.ndarray,
    times: np.ndarray,
    exit_rates: np.ndarray,
) -> np.ndarray:
    r"""Compute the probability of absorption by :math:`t`: :math:`1 - p(0)e^{Q_{UU}t}\mathbf 1`.

    It is computed directly — never as one minus the surviving mass — so that a probability of
    1e-200 keeps its relative precision: it is the entry of the absorbing state in
    :math:`p(0)\,e^{Gt}` for the conservative generator :math:`G` of the transient states plus
    one absorbing state,

    .. math::

        G = \begin{bmatrix} Q_{UU} & \mathbf e \\ 0 & 0\end{bmatrix},\qquad
        e^{Gt} = \begin{bmatrix} e^{Q_{UU}t} & \int_0^t e^{Q_{UU}s}\,\mathbf e\,ds \\
        0 & 1\end{bmatrix},

    i.e. the integral of the exit flow :math:`F(t) = \int_0^t p_U(s)\,\mathbf e\,ds`
    (Rausand & Høyland, *System Reliability Theory*, 2nd ed., Wiley, 2004, ch. 8, the
    system-down states made absorbing; Stewart, *Introduction to the Numerical Solution of
    Markov Chains*, 1994, ch. 8). That entry lies off the
    diagonal of :math:`e^{Gt}`, where :func:`expm_metzler` keeps a small *relative* error
    (sums of products of non-negative numbers, Xue & Ye 2008). Chains of
    :data:`DENSE_TRANSIENT_MAX_STATES` states and more use ``expm_multiply`` on :math:`G`,
    without that guarantee (its error is relative to 1).

    Parameters
    ----------
    rates : (n, n) array_like or sparse
        Transition rates among the transient (up) states [1/time], diagonal ignored.
    p0 : (n,) array_like
        Initial distribution over those states.
    times : (T,) array_like
        Times [time], >= 0.
    exit_rates : (n,) array_like
        Rate from each state into the absorbing (down) set [1/time].

    Returns
    -------
    ndarray
        Shape ``(T,)``: :math:`F(t)`, exact also when tiny.

    Examples
    --------
    One state left at rate 1e-9: :math:`F(t) = 1 - e^{-10^{-9}t}`, here 1e-18 to every digit
    (``1 - R`` gives 0: :math:`R = 1 - 10^{-18}` rounds to 1).

    >>> f = absorbed_probability([[0.0]], [1.0], [1e-9], [1e-9])
    >>> float(f"{f[0]:.15e}")
    1e-18
    """
    t = np.atleast_1d(np.asarray(times, dtype=float))
    p0 = np.asarray(p0, dtype=float)
    extra = np.asarray(exit_rates, dtype=float)
    n = p0.size
    _check_size(n + 1)
    if n < DENSE_TRANSIENT_MAX_STATES:
        dense = rates.toarray() if sp.issparse(rates) else np.asarray(rates, dtype=float)
        return _absorbing_expm(dense, extra, t)[:, :n, n] @ p0
    csr = sp.csr_array(rates, dtype=float)
    csr.setdiag(0.0)
    csr.eliminate_zeros()
    aug = sp.block_array([[csr, sp.csr_array(extra[:, None])], [None, sp.csr_array((1, 1))]])
    aug = sp.csr_array(aug)
    gen = aug - sp.diags_array(np.asarray(aug.sum(axis=1)).ravel())
    gen_t = gen.T.tocsc()
    _check_work(gen_t, t)
    v0 = np.r_[p0, 0.0]
    return np.array([expm_multiply(gen_t * ti, v0)[n] for ti in t])


def accumulated_reward(
    rates: np.ndarray | sp.spmatrix | sp.sparray,
    p0: np.ndarray,
    reward: np.ndarray,
    times: np.ndarray,
) -> np.ndarray:
    r"""Compute the expected accumulated reward :math:`\int_0^t p(s)\,r\,ds`.

    Parameters
    ----------
    rates : (n, n) array_like or sparse
        Transition rates [1/time], diagonal ignored.
    p0 : (n,) array_like
        Initial distribution.
    reward : (n,) array_like
        Non-negative reward rate per state (1 on up states gives the expected up time).
    times : (T,) array_like
        Horizons :math:`t \ge 0` [time].

    Returns
    -------
    ndarray
        Shape ``(T,)``, in [reward · time].

    Notes
    -----
    One exponential of the augmented matrix (non-negative off the diagonal again):

    .. math::

        \exp\left(\begin{bmatrix} Q & r \\ 0 & 0\end{bmatrix} t\right)
        = \begin{bmatrix} e^{Qt} & \int_0^t e^{Qs} r\,ds \\ 0 & 1\end{bmatrix}.

    Examples
    --------
    Expected up time over 3 h of a component with λ = 1, μ = 2, up at 0:
    :math:`2 + (1 - e^{-9})/9`.

    >>> round(float(accumulated_reward([[0, 1.0], [2.0, 0]], [1, 0], [1, 0], [3.0])[0]), 9)
    2.111097399
    """
    t = np.atleast_1d(np.asarray(times, dtype=float))
    p0 = np.asarray(p0, dtype=float)
    r = np.asarray(reward, dtype=float)
    n = p0.size
    _check_size(n + 1)
    if n + 1 <= DENSE_TRANSIENT_MAX_STATES:
        dense = rates.toarray() if sp.issparse(rates) else np.asarray(rates, dtype=float)
        aug = np.zeros((n + 1, n + 1))
        aug[:n, :n] = _generator_dense(dense)
        aug[:n, n] = r
        return expm_metzler(aug, t, stochastic=n)[:, :n, n] @ p0
    csr = sp.csr_array(rates, dtype=float)
    csr.setdiag(0.0)
    gen = csr - sp.diags_array(np.asarray(csr.sum(axis=1)).ravel())
    aug = sp.block_array([[gen, sp.csr_array(r[:, None])], [None, sp.csr_array((1, 1))]])
    aug_t = aug.T.tocsc()
    _check_work(aug_t, t)
    v0 = np.r_[p0, 0.0]
    return np.array([expm_multiply(aug_t * ti, v0)[n] for ti in t])
