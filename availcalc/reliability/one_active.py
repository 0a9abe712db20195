r"""The CTMC of n units with one active: failover clusters and standby redundancy (layer 1).

One unit carries the load; the other up units wait (hot standby: they fail at the active rate;
warm: at a fraction :math:`\rho` of it; cold: not at all). When the active unit fails and
another is up, the switch to it succeeds automatically with probability :math:`c` after a mean
switchover time :math:`t_s`, else it is made by hand after a mean :math:`t_m`; :math:`r` crews
repair the failed units. This is the model of :class:`~availcalc.ActivePassive` (hot,
``nodes`` ≥ 2) and :class:`~availcalc.Standby` (any :math:`\rho`).

States, in this order: :math:`N_n`, then for :math:`m = n-1, \dots, 1`: :math:`S_m`,
:math:`M_m`, :math:`N_m`; then :math:`N_0`. :math:`N_u` = no switch under way, :math:`u` units
up (one of them active if :math:`u \ge 1`); :math:`S_m` / :math:`M_m` = automatic / manual
switch under way to one of the :math:`m` units up, the failed active unit waiting for the
switch to end before its repair starts. Up states: :math:`N_u`, :math:`u \ge 1`.

Rates, with :math:`\delta = 1/t_s`, :math:`\beta = 1/t_m`:

* :math:`N_u \to S_{u-1}` at :math:`c\lambda`, :math:`\to M_{u-1}` at :math:`(1-c)\lambda`
  (the active unit fails, :math:`u \ge 2`); :math:`N_1 \to N_0` at :math:`\lambda`;
* :math:`N_u \to N_{u-1}` at :math:`(u-1)\rho\lambda` (a standby unit fails);
* :math:`N_u \to N_{u+1}` at :math:`\min(n-u, r)\,\mu` (repair);
* :math:`S_m \to N_m` at :math:`\delta` (:math:`M_m`: :math:`\beta`) — the switch ends and the
  failed unit joins the repair queue;
* :math:`S_m \to S_{m-1}` at :math:`m\rho\lambda` (a waiting unit fails; the switch goes on to
  another), :math:`S_1 \to N_0` at :math:`\rho\lambda`; the same for :math:`M_m`;
* :math:`S_m \to S_{m+1}` at :math:`\min(n-m-1, r)\,\mu` (units failed earlier are repaired
  meanwhile); the same for :math:`M_m`.

:math:`t_s = 0` (:math:`t_m = 0`) removes the :math:`S` (:math:`M`) states: the switch is
instantaneous. With :math:`c = 1`, :math:`t_s = 0` and :math:`\rho = 1` the chain lumps to the
birth–death chain of :class:`~availcalc.KofN` ``(n, 1)`` with :math:`r` crews; with
:math:`\rho = 0` it is the classic cold-standby birth–death chain,
:math:`\pi_{N_{n-j}} \propto \prod_{i=1}^{j} \lambda / (\min(i, r)\,\mu)` (Trivedi, 2nd ed.,
2002, ch. 8, the birth–death availability models; Barlow & Proschan, *Statistical Theory of
Reliability and Life Testing*, 1975, ch. 7). For :math:`n = 2`, :math:`\rho = 1` it is the
two-node cluster of Arnold (1973) and Dugan & Trivedi (1989), the closed form in
:class:`~availcalc.ActivePassive`.
"""

from __future__ import annotations

import numpy as np

__all__ = ["one_active_states", "one_active_transitions"]


def one_active_states(n: int, has_switch: bool, has_manual: bool) -> list[tuple[str, int]]:
    """Return the states ``(mode, units up)`` present, in the module's order (mode N, S or M)."""
    out = [("N", n)]
    for m in range(n - 1, 0, -1):
        if has_switch:
            out.append(("S", m))
        if has_manual:
            out.append(("M", m))
        out.append(("N", m))
    out.append(("N", 0))
    return out


def one_active_transitions(
    n: int,
    lam: float,
    mu: float,
    standby_ratio: float,
    coverage: float,
    switch_rate: float | None,
    manual_rate: float | None,
    crews: int,
) -> tuple[list[tuple[str, int]], np.ndarray, np.ndarray, np.ndarray]:
    """(states, rows, cols, rates [1/h]) of the chain; ``None`` rates remove S or M states."""
    states = one_active_states(n, switch_rate is not None, manual_rate is not None)
    ix = {s: i for i, s in enumerate(states)}
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []

    def add(a: tuple[str, int], b: tuple[str, int], rate: float) -> None:
        if rate > 0.0:
            rows.append(ix[a])
            cols.append(ix[b])
            vals.append(rate)

    for mode, u in states:
        here = (mode, u)
        if mode == "N":
            if u >= 2:
                # the active unit fails: a switch to one of the u - 1 others
                for rate, target in (
                    (coverage * lam, "S" if switch_rate is not None else "N"),
                    ((1.0 - coverage) * lam, "M" if manual_rate is not None else "N"),
                ):
                    add(here, (target, u - 1), rate)
                add(here, ("N", u - 1), (u - 1) * standby_ratio * lam)
            elif u == 1:
                add(here, ("N", 0), lam)
            if u < n:
                add(here, ("N", u + 1), min(n - u, crews) * mu)
            continue
        rate_end = switch_rate if mode == "S" else manual_rate
        add(here, ("N", u), rate_end)  # type: ignore[arg-type]
        add(here, (mode, u - 1) if u >= 2 else ("N", 0), u * standby_ratio * lam)
        if u + 1 <= n - 1:
            add(here, (mode, u + 1), min(n - u - 1, crews) * mu)
    return states, np.asarray(rows, int), np.asarray(cols, int), np.asarray(vals, float)
