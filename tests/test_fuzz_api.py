"""Fuzz every public callable with hostile values (issue 14: one way to answer bad input).

Every name in :data:`availcalc.__all__` that can be called, and every public method and
attribute of what it returns, is called with a mix of valid values and the hostile families
below (0, ±inf, NaN, 1e-300, 1e300, 5e-324, the largest double, 10**400, bools, strings, None,
complex, Decimal, Fraction, lists, tuples, empty and mixed arrays, Series, pd.NA, objects).
Each call is classified:

* **clean error** — a ``ValueError`` or ``TypeError`` whose message names a parameter of the
  call (or the scenario field path);
* **valid result** — no NaN anywhere, probabilities in [0, 1], times, counts and rates >= 0;
* **anything else** — another exception, an error that names no parameter, an escaping
  numpy ``RuntimeWarning``, a NaN or out-of-range result, or a call over 2 s — fails the test.

Which values a parameter takes is looked up by its *name* (:data:`VALID`), so a new public
parameter without an entry fails :func:`test_every_parameter_has_a_strategy` until it gets one.
The counts per area are attached to each test report; ``conftest.py`` prints the table at the
end of the run (``tests/_fuzz.py``).
"""

from __future__ import annotations

import inspect
import math
import os
import signal
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import availcalc as ac
from availcalc.reliability.blocks import NLB_OUTAGE_SCOPES
from tests import _fuzz

# --------------------------------------------------------------------------------------------
# Value families
# --------------------------------------------------------------------------------------------

HOSTILE: tuple[Any, ...] = (
    0,
    -1,
    -0.0,
    0.5,
    2.5,
    math.inf,
    -math.inf,
    math.nan,
    1e-300,
    1e300,
    5e-324,
    sys.float_info.max,
    10**400,
    -(10**400),
    2**63,
    True,
    False,
    "3",
    "",
    None,
    1 + 2j,
    Decimal("2.5"),
    Fraction(1, 3),
    [1, 2],
    (1.0,),
    [],
    [1, "a"],
    np.array([]),
    np.array([1.0, math.nan]),
    np.array([[1.0], [2.0]]),
    np.array(["a"]),
    pd.Series([1.0, 2.0]),
    np.float32(2.5),
    np.int64(3),
    pd.NA,
    object(),
)
hostile = st.sampled_from(HOSTILE)


def _floats(lo: float, hi: float) -> st.SearchStrategy[float]:
    """Log-uniform-ish floats in [lo, hi] plus the ends (the edges are where code breaks)."""
    if lo > 0:
        inner = st.floats(math.log10(lo), math.log10(hi)).map(lambda e: 10.0**e)
    else:
        inner = st.floats(lo, hi, allow_nan=False)
    return st.one_of(st.sampled_from([lo, hi]), inner).filter(lambda v: lo <= v <= hi)


def _vector(s: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A scalar, or a small array or Series of scalars from ``s``."""
    arrays = st.lists(s, min_size=1, max_size=4)
    return st.one_of(s, s, arrays.map(lambda v: np.asarray(v, dtype=float)), arrays.map(pd.Series))


rate = _floats(1e-6, 1e6)
pos_h = _floats(1e-3, 1e7)
pos_s = _floats(1e-3, 1e5)
nonneg_s = st.one_of(st.just(0.0), pos_s)
nonneg_h = st.one_of(st.just(0.0), pos_h)
fraction = st.one_of(st.sampled_from([0.0, 1.0]), st.floats(0, 1))
probability = st.floats(1e-6, 1 - 1e-6)
count = st.integers(1, 40)
small_count = st.integers(1, 6)
names = st.sampled_from(["a", "host", "SQL cluster", "ü"])


_SERIAL = iter(range(10**9))


def _unique(prefix: str) -> str:
    """A block name not used before (two different blocks may not share a name)."""
    return f"{prefix}{next(_SERIAL)}"


@st.composite
def _component(draw: Any) -> ac.Component:
    return ac.Component(_unique("c"), mttf_h=draw(pos_h), mttr_h=draw(_floats(1e-3, 1e3)))


@st.composite
def _block(draw: Any) -> ac.Block:
    kind = draw(st.sampled_from(["component", "kofn", "active_passive", "nlb", "standby"]))
    mttf, mttr = draw(pos_h), draw(_floats(1e-3, 1e3))
    if kind == "component":
        return draw(_component())
    if kind == "kofn":
        n = draw(small_count)
        return ac.KofN(n, draw(st.integers(1, n)), mttf, mttr, name=_unique("k"))
    if kind == "active_passive":
        return ac.ActivePassive(
            mttf, mttr, coverage=draw(fraction), switchover_s=draw(nonneg_s), name=_unique("ap")
        )
    if kind == "standby":
        units = draw(st.integers(2, 4))
        return ac.Standby(units, mttf, mttr, coverage=draw(fraction), name=_unique("sb"))
    n = draw(small_count)
    return ac.NLBPool(
        n,
        draw(st.integers(1, n)),
        mttf,
        mttr,
        convergence_s=draw(nonneg_s),
        name=_unique("nlb"),
        detection_s=draw(nonneg_s),
        outage_scope=draw(st.sampled_from(NLB_OUTAGE_SCOPES)),
    )


@st.composite
def _diagram(draw: Any) -> ac.Diagram:
    blocks = draw(st.lists(_block(), min_size=1, max_size=3))
    return draw(st.sampled_from([ac.series, ac.parallel]))(*blocks, name=_unique("d"))


blocks = st.lists(st.one_of(_block(), _diagram()), min_size=1, max_size=3)


@st.composite
def _edges(draw: Any) -> list[tuple[str, str, ac.Block]]:
    """A path n0-n1-…-nk of components plus up to two extra links (mostly components)."""
    k = draw(st.integers(1, 4))
    out = [(f"n{i}", f"n{i + 1}", draw(_component())) for i in range(k)]
    for _ in range(draw(st.integers(0, 2))):
        u, v = draw(st.integers(0, k)), draw(st.integers(0, k))
        if u != v:
            out.append((f"n{u}", f"n{v}", draw(st.one_of(_component(), _block()))))
    return out


system = st.one_of(_block(), _diagram())


@st.composite
def _markov(draw: Any) -> dict[str, Any]:
    n = draw(st.integers(2, 5))
    states = [f"s{i}" for i in range(n)]
    transitions = {}
    for i in range(n):
        transitions[(states[i], states[(i + 1) % n])] = draw(rate)
        if draw(st.booleans()):
            transitions[(states[i], states[draw(st.integers(0, n - 1))])] = draw(rate)
    transitions = {k: v for k, v in transitions.items() if k[0] != k[1]}
    up = states[: draw(st.integers(1, n - 1))]
    return {"states": states, "transitions": transitions, "up_states": up}


distribution = st.one_of(
    st.just(ac.Distribution.exponential()),
    _floats(0.1, 10).map(ac.Distribution.gamma),
    _floats(0.1, 10).map(ac.Distribution.lognormal),
    _floats(0.5, 5).map(ac.Distribution.weibull),
    st.just(ac.Distribution.deterministic()),
)
station = st.builds(
    lambda d, m, c: ac.Station(d.with_mean(m), c), distribution, _floats(0.01, 1), small_count
)
scenario = st.sampled_from([ac.load_preset(p) for p in ac.presets()])
metric_key = st.sampled_from(sorted(ac.METRICS))


@st.composite
def _network(draw: Any) -> dict[str, Any]:
    n = draw(st.integers(1, 3))
    routing = np.zeros((n, n))
    for i in range(n - 1):
        routing[i, i + 1] = draw(st.floats(0, 0.9))
    return {
        "arrival_rates": [draw(_floats(0.01, 1)) for _ in range(n)],
        "service_rates": [draw(_floats(2, 10)) for _ in range(n)],
        "servers": [draw(small_count) for _ in range(n)],
        "routing": routing,
    }


#: The valid values of a parameter, by its name; ``(callable name, parameter)`` overrides.
VALID: dict[Any, st.SearchStrategy[Any]] = {
    "arrival_rate": _vector(rate),
    "service_rate": _vector(rate),
    "servers": _vector(count.map(float)),
    "offered_load": _vector(_floats(1e-6, 1e3)),
    "service_scv": _vector(_floats(0.0, 10)),
    "arrival_scv": _vector(_floats(0.0, 10)),
    "capacity": count.map(lambda c: c + 40),
    "max_mean_wait": pos_s,
    "max_prob_wait_exceeds": probability,
    "max_blocking": probability,
    "max_prob_wait": probability,
    "wait_threshold": pos_s,
    "max_wait_percentile": pos_s,
    "percentile": probability,
    "max_utilization": probability,
    "mttf_h": pos_h,
    "mttr_h": _floats(1e-3, 1e3),
    "coverage": fraction,
    "switchover_s": nonneg_s,
    "manual_failover_h": nonneg_h,
    "crews": st.one_of(st.none(), small_count),
    "name": st.builds(_unique, names),
    "nodes": small_count,
    "n": small_count,
    "k": st.just(1),
    "needed": st.just(1),
    "units": st.integers(2, 4),
    "standby_failure_ratio": fraction,
    "convergence_s": nonneg_s,
    "detection_s": nonneg_s,
    "outage_scope": st.sampled_from(NLB_OUTAGE_SCOPES),
    "initially_up": st.booleans(),
    "blocks": blocks,
    "system": system,
    "scenario": scenario,
    "scenarios": st.lists(scenario, min_size=1, max_size=3),
    "metric": metric_key,
    "key": metric_key,
    "value": _floats(0, 1e6),
    "instances_down": st.integers(0, 1),
    "availability_target": st.one_of(st.none(), st.sampled_from([0.99, 0.999, 0.9999])),
    "sla_target": st.one_of(st.none(), st.sampled_from([0.99, 0.999])),
    "instances": st.lists(small_count, min_size=1, max_size=3, unique=True),
    "improvement": st.floats(0.01, 0.9),
    "step": st.sampled_from([1e-4, 1e-3]),
    "spread": st.floats(0.01, 0.5),
    "max_failover_s": _floats(1, 86400),
    "max_instances": st.integers(2, 8),
    "outage_durations_h": st.lists(_floats(1e-3, 100), min_size=1, max_size=6),
    "observed_h": _floats(1e3, 1e6),
    "confidence": st.floats(0.5, 0.99),
    "durations_s": st.lists(_floats(1e-3, 100), min_size=2, max_size=20),
    "replications": st.integers(2, 3),
    "years": _floats(1, 20),
    "messages": st.integers(200, 1000),
    "warmup": st.floats(0, 0.5),
    "warmup_messages": st.integers(100, 500),
    "outage_s": _floats(1, 600),
    "after_s": st.one_of(st.none(), _floats(1, 600)),
    "seed": st.one_of(st.none(), st.integers(0, 2**32)),
    "n_jobs": st.just(1),
    "stations": st.lists(station, min_size=1, max_size=2),
    "arrival": st.one_of(st.none(), distribution),
    "target": st.one_of(st.none(), pos_s),
    "shape": _floats(0.1, 10),
    "mean": st.one_of(st.none(), _floats(1e-3, 1e3)),
    "scv": _floats(0.0, 10),
    "kind": st.sampled_from(["exponential", "gamma", "lognormal", "weibull", "deterministic"]),
    "service": distribution,
    "q": _vector(probability),
    "t": _vector(nonneg_s),
    "t_h": _vector(nonneg_h),
    "x": _vector(nonneg_s),
    "size": st.integers(1, 5),
    ("MMcK", "servers"): count,
    ("KofN", "n"): small_count,
    ("tandem", "stations"): st.lists(st.tuples(_floats(2, 10), small_count), min_size=1),
    ("tandem", "arrival_rate"): _floats(0.01, 1),
    ("simulate_queue", "arrival_rate"): _floats(0.1, 1),
    ("min_servers", "arrival_rate"): _vector(_floats(1e-6, 1e4)),
    ("sweep", "parameters"): st.sampled_from(
        [{"workload.arrival_rate_per_s": [10.0, 20.0]}, {"send_host.instances": [1, 2, 3]}]
    ),
    ("tornado", "ranges"): st.none(),
    ("tornado", "parameters"): st.none(),
    ("importance", "blocks"): st.none(),
    ("compare", "names"): st.none(),
    ("OpenNetwork", "names"): st.none(),
    ("tandem", "names"): st.none(),
    ("Diagram", "kind"): st.sampled_from(["series", "parallel"]),
    ("Diagram", "links"): st.none(),
    ("Diagram", "terminals"): st.none(),
    "edges": _edges(),
    ("network", "source"): st.just("n0"),
    ("network", "target"): st.just("n1"),
    ("validate", "result"): st.none(),
    ("validate", "rtol"): st.floats(0, 0.1),
    ("validate", "min_outages"): st.integers(1, 30),
}

#: Parameters left at their default: engines, back ends and distributions by name (their own
#: tests cover them), and the parallel client.
SKIP = {
    "client",
    "engine",
    "failure_engine",
    "failure",
    "repair",
    "failover",
    "manual",
    "service_distribution",
    "min_state_probability",
    "simulate_options",
    "include_max_load",
    "grid",
    "fmt",
}

# --------------------------------------------------------------------------------------------
# Calling and classifying
# --------------------------------------------------------------------------------------------

SCENARIO_PARTS = [
    "scenario",
    "workload.",
    "send_host.",
    "send_port.",
    "messagebox.",
    "destination.",
]
SLOW_S = 2.0
HANG_S = 10.0


class _Hang(Exception):
    pass


class _Collected(Exception):
    pass


COLLECT = os.environ.get("FUZZ_COLLECT")


def _alarm(signum: int, frame: Any) -> None:
    raise _Hang


#: DataFrame columns where NaN means "not applicable to this row" (documented): importance rows
#: of workload inputs have no block; a simulation's serving configurations too rare to
#: simulate have no latency.
NOT_APPLICABLE_NAN = {"block_birnbaum", "block_criticality", "block_downtime_min_per_year"}
_LATENCY_COLUMNS = ("latency_percentile_s", "ci_low", "ci_high", "meets_fraction")
_TAIL_COLUMNS = ("tail_probability", "tail_ci_low", "tail_ci_high")
NOT_APPLICABLE_NAN |= {f"configurations.{c}" for c in (*_LATENCY_COLUMNS, *_TAIL_COLUMNS)}
PROBABILITY_WORDS = ("availability", "prob", "reliability", "coverage", "fraction")
NONNEGATIVE_WORDS = (
    "_s",
    "_h",
    "mean",
    "percentile",
    "downtime",
    "per_year",
    "per_h",
    "rate",
    "utilization",
    "nines",
    "throughput",
    "load",
    "length",
    "capacity",
    "messages",
)


def _numbers(value: Any) -> list[tuple[str, np.ndarray]]:
    """Every numeric leaf of a result, with the dotted path it was found under.

    DataFrame columns and dict keys extend the path; a simulation ``Estimate`` contributes its
    mean under the metric's own name (its interval ends may leave a metric's range: a
    t-interval of a few replications).
    """
    out: list[tuple[str, np.ndarray]] = []

    def walk(name: str, v: Any, depth: int = 0) -> None:
        def sub(key: Any) -> str:
            return f"{name}.{key}" if name else str(key)

        if depth > 4 or isinstance(v, (str, bool, np.bool_)) or v is None:
            return
        if isinstance(v, (int, float, np.number)):
            out.append((name, np.asarray(v, dtype=float)))
        elif isinstance(v, np.ndarray) and v.dtype.kind in "iuf":
            out.append((name, v.astype(float)))
        elif isinstance(v, pd.Series) and v.dtype.kind in "iuf":
            out.append((name, v.to_numpy(dtype=float)))
        elif isinstance(v, pd.DataFrame):
            for col in v.columns:
                walk(sub(col), v[col], depth + 1)
            if "value" in v.columns and v.index.dtype == object:
                for key, x in v["value"].items():
                    walk(sub(key), x, depth + 1)
        elif isinstance(v, dict):
            for key, x in v.items():
                walk(sub(key), x, depth + 1)
        elif isinstance(v, ac.simulation.Estimate):
            walk(name, v.mean, depth + 1)

    walk("", value)
    return out


def _bad_result(where: str, value: Any) -> str | None:
    """Why a result breaks the contract (NaN, probability outside [0, 1], negative), or None."""
    for name, arr in _numbers(value):
        label = (name.rsplit(".", 1)[-1] or where.rsplit(".", 1)[-1]).lower()
        if (label in NOT_APPLICABLE_NAN or name in NOT_APPLICABLE_NAN) and np.isnan(arr).any():
            arr = arr[~np.isnan(arr)]
        if "saved" in label:  # a change can cost downtime (e.g. NLB convergence on rejoin)
            continue
        if np.isnan(arr).any():
            return f"NaN in {where}[{name}]"
        if label.startswith("log_"):
            if (arr > 1e-12).any():
                return f"log-probability > 0 in {where}[{name}]"
        elif any(w in label for w in PROBABILITY_WORDS) and "per_" not in label:
            if ((arr < 0) | (arr > 1 + 1e-12)).any():
                return f"probability outside [0, 1] in {where}[{name}]: {arr}"
        elif any(w in label for w in NONNEGATIVE_WORDS) and (arr < 0).any():
            return f"negative value in {where}[{name}]: {arr}"
    return None


def _names_a_parameter(message: str, params: list[str]) -> bool:
    return any(p in message for p in params)


class Recorder:
    """Counts outcomes and calls the function under test with the contract's checks."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def call(
        self,
        where: str,
        fn: Callable[..., Any],
        kwargs: dict[str, Any],
        args: tuple = (),
        owner_params: tuple[str, ...] = (),
    ) -> tuple[bool, Any]:
        """Call ``fn``; return ``(True, result)`` for a valid result, ``(False, None)``."""
        params = list(kwargs) + list(owner_params)
        old = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, HANG_S)
        start = time.perf_counter()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", RuntimeWarning)
                result = fn(*args, **kwargs)
                # Attributes are computed on first use: reading them is part of the call.
                probe = _materialise(result)
        except _Hang:
            self._fail(where, kwargs, f"no answer after {HANG_S} s")
        except (ValueError, TypeError) as exc:
            elapsed = time.perf_counter() - start
            if elapsed > SLOW_S:
                self._fail(where, kwargs, f"error after {elapsed:.1f} s")
            if not _names_a_parameter(str(exc), params + SCENARIO_PARTS):
                self._fail(where, kwargs, f"{type(exc).__name__} naming no parameter: {exc}")
            if "\n" in str(exc).strip():
                self._fail(where, kwargs, f"multi-line message: {exc}")
            self.counts["clean error"] += 1
            return False, None
        except ac.StateSpaceTooLarge:
            self.counts["clean error"] += 1
            return False, None
        except Exception as exc:
            self._fail(where, kwargs, f"{type(exc).__name__}: {exc}")
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
        elapsed = time.perf_counter() - start
        if elapsed > SLOW_S:
            self._fail(where, kwargs, f"took {elapsed:.1f} s")
        problem = _bad_result(where, probe)
        if problem:
            self._fail(where, kwargs, problem)
        self.counts["valid result"] += 1
        return True, result

    def _fail(self, where: str, kwargs: dict[str, Any], why: str) -> None:
        shown = ", ".join(f"{k}={_shown(v)}" for k, v in kwargs.items())
        if COLLECT:
            with open(COLLECT, "a") as f:
                f.write(f"{where}\t{' '.join(why.split())[:150]}\t{shown}\n")
            raise _Collected
        pytest.fail(f"{where}({shown}): {why}", pytrace=False)


def _shown(v: Any) -> str:
    text = " ".join(repr(v).split())
    return text if len(text) < 80 else text[:77] + "..."


def _materialise(result: Any) -> Any:
    """Read every public data attribute of a result object (not methods) into a dict."""
    if isinstance(result, (float, int, np.ndarray, pd.Series, pd.DataFrame, dict, str)):
        return result
    if result is None or isinstance(result, (list, tuple)):
        return None
    out: dict[str, Any] = {}
    for attr in _attributes(type(result)):
        out[attr] = getattr(result, attr)
    repr(result)
    return out


def _public(cls: type, keep: Any) -> list[str]:
    """Public names of ``cls`` whose static member passes ``keep``."""
    names = [n for n in dir(cls) if not n.startswith("_")]
    return [n for n in names if keep(inspect.getattr_static(cls, n, None))]


def _attributes(cls: type) -> list[str]:
    """Public properties and dataclass fields of ``cls`` (what a user reads)."""
    attrs = _public(cls, lambda m: isinstance(m, property) or hasattr(m, "func"))  # + cached
    fields = getattr(cls, "__dataclass_fields__", {})
    return attrs + [f for f in fields if not f.startswith("_") and f not in attrs]


def _methods(cls: type) -> list[str]:
    return _public(cls, inspect.isfunction)


def _parameters(owner: str) -> tuple[str, ...]:
    """The parameter names of a public callable (an error of a result may name them)."""
    fn = getattr(ac, owner.split(".")[0], None)
    try:
        return tuple(inspect.signature(fn).parameters)
    except (TypeError, ValueError):
        return ()


def _strategy(owner: str, param: str) -> st.SearchStrategy[Any] | None:
    return VALID.get((owner, param), VALID.get(param))


def _fuzzed_kwargs(
    draw: Any, owner: str, fn: Callable[..., Any], skip: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """Valid values for every parameter of ``fn``, and one of them hostile most of the time."""
    params = [
        p
        for p in inspect.signature(fn).parameters.values()
        if p.name not in SKIP | skip
        and p.name != "self"
        and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]
    kwargs = {p.name: draw(_strategy(owner, p.name)) for p in params}
    if params and draw(st.integers(0, 9)) < 7:
        bad = draw(st.sampled_from([p.name for p in params]))
        kwargs[bad] = draw(hostile)
    return kwargs


# --------------------------------------------------------------------------------------------
# What is called
# --------------------------------------------------------------------------------------------

CALLABLES = sorted(
    n
    for n in ac.__all__
    if callable(getattr(ac, n))
    and not (isinstance(getattr(ac, n), type) and issubclass(getattr(ac, n), Exception))
    and n not in {"Block"}
)

#: Names built from other values, or pure data records, fuzzed through their own strategies or
#: the entries below rather than called blind.
SPECIAL = {
    "FieldSpec",
    "MetricSpec",
    "IncidentFit",
    "ServiceFit",
    "OutageImpact",
    "Crossover",
    "Sizing",
    "Evaluation",
    "Scenario",
    "Workload",
    "SendHost",
    "SendPort",
    "MessageBox",
    "Endpoint",
    "NLBDestination",
    "MarkovModel",
    "OpenNetwork",
    "series",
    "parallel",
    "load_scenario",
    "save_scenario",
    "scenario_from_json",
    "scenario_to_json",
    "load_preset",
    "preset_sources",
    "preset_descriptions",
    "presets",
    "inapplicable_fields",
    "numeric_fields",
}
BLIND = [n for n in CALLABLES if n not in SPECIAL]
SIMULATION = {"simulate", "validate", "monte_carlo_availability", "simulate_outage"}
SIMULATION |= {"simulate_queue"}


def test_every_parameter_has_a_strategy() -> None:
    """A new public parameter must say which values it takes before it can be fuzzed."""
    missing = [
        f"{n}.{p.name}"
        for n in BLIND
        for p in inspect.signature(getattr(ac, n)).parameters.values()
        if p.name not in SKIP
        and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        and _strategy(n, p.name) is None
    ]
    assert not missing


def _probe_methods(draw: Any, rec: Recorder, owner: str, obj: Any) -> None:
    """Call every public method of ``obj`` with fuzzed arguments."""
    for name in _methods(type(obj)):
        method = getattr(obj, name)
        try:
            sig = inspect.signature(method)
        except (TypeError, ValueError):
            continue
        needed = [
            p
            for p in sig.parameters.values()
            if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
            and p.name not in SKIP
            and (p.default is p.empty or _strategy(f"{owner}.{name}", p.name) is not None)
        ]
        if any(_strategy(f"{owner}.{name}", p.name) is None for p in needed):
            continue  # e.g. an rng argument: covered by the simulation tests
        kwargs = _fuzzed_kwargs(draw, f"{owner}.{name}", method)
        kwargs = {k: v for k, v in kwargs.items() if k in {p.name for p in needed}}
        rec.call(f"{owner}.{name}", method, kwargs, owner_params=_parameters(owner))


def _settings(n: int) -> Callable[[Any], Any]:
    return settings(
        max_examples=n,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )


def _report(record_property: Any, area: str, rec: Recorder) -> None:
    counts = {(area, kind): n for kind, n in rec.counts.items()}
    _fuzz.record(record_property, "public API", ("valid result", "clean error"), counts)


#: Engines whose hardening is still open, marked xfail and not run in CI (a failing hypothesis
#: search shrinks for minutes); `FUZZ_ALL=1` runs them. Empty since issue 14 closed.
STILL_OPEN: set[str] = set()


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(
            n,
            marks=pytest.mark.xfail(
                reason="issue 14: still open", run=bool(os.environ.get("FUZZ_ALL"))
            ),
        )
        if n in STILL_OPEN
        else n
        for n in BLIND
        if n not in SIMULATION
    ],
)
def test_public_callable(name: str, record_property: Any) -> None:
    """Every engine and domain function, and the methods of what it returns."""
    fn = getattr(ac, name)
    rec = Recorder()

    @_settings(120)
    @given(st.data())
    def run(data: Any) -> None:
        kwargs = _fuzzed_kwargs(data.draw, name, fn)
        args: tuple = ()
        if name == "Diagram" and isinstance(kwargs.get("blocks"), list):
            kwargs["blocks"] = tuple(kwargs["blocks"])
        try:
            ok, result = rec.call(name, fn, kwargs, args)
            if ok and not isinstance(result, (float, int, np.ndarray, pd.Series, pd.DataFrame)):
                _probe_methods(data.draw, rec, name, result)
        except _Collected:  # FUZZ_COLLECT=file: record every break, stop none
            pass

    run()
    _report(record_property, "engines", rec)


@pytest.mark.parametrize("name", sorted(SIMULATION))
def test_simulation_callable(name: str, record_property: Any) -> None:
    """The simulation entry points: the same contract, fewer examples (each valid call runs a
    short simulation: 2–3 replications of a few years and a few hundred messages)."""
    fn = getattr(ac, name)
    rec = Recorder()

    @_settings(30)
    @given(st.data())
    def run(data: Any) -> None:
        kwargs = _fuzzed_kwargs(data.draw, name, fn)
        try:
            ok, result = rec.call(name, fn, kwargs)
            if ok and not isinstance(result, pd.DataFrame):
                _probe_methods(data.draw, rec, name, result)
        except _Collected:
            pass

    run()
    _report(record_property, "simulation", rec)
