"""availcalc: capacity and availability calculator for scaled-out messaging tiers.

The public API is re-exported here from the subpackages:

* :mod:`availcalc.queueing` — Erlang B/C, M/M/c, M/M/c/K, M/G/c, Jackson networks, sizing
  (unit-agnostic: times are in the unit of 1/rate);
* :mod:`availcalc.reliability` — components, reliability block diagrams, k-of-n with repair
  crews, active/passive failover clusters, NLB pools, general Markov models (time in hours);
* :mod:`availcalc.model` — the sending tier: scenarios (units in every field name), presets,
  :func:`evaluate`, :func:`compare`, :func:`size_instances`, calibration helpers;
* :mod:`availcalc.analysis` — sweeps, tornado, importance, crossovers (tidy DataFrames);
* :mod:`availcalc.figures` — plotly figure factories;
* :mod:`availcalc.simulation` — discrete-event simulation and Monte Carlo checks:
  :func:`simulate`, :func:`validate`, :func:`monte_carlo_availability`.

Every name, and every subpackage, loads on first use (PEP 562 module ``__getattr__``):
``import availcalc`` imports no numpy, pandas or scipy, and ``from availcalc import MMc`` loads
the queueing layer only. ``__all__`` and ``dir()`` list the whole API (and load the layers).
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # what static tools see; at run time each name loads on first use
    from availcalc.analysis import *  # noqa: F403
    from availcalc.model import *  # noqa: F403
    from availcalc.queueing import *  # noqa: F403
    from availcalc.reliability import *  # noqa: F403
    from availcalc.simulation import (  # noqa: F401
        Distribution,
        Station,
        monte_carlo_availability,
        simulate,
        simulate_outage,
        simulate_queue,
        validate,
    )

__version__ = "0.1.0"

#: The subpackages whose whole ``__all__`` is re-exported, searched in this order (cheapest
#: first: the model and the analyses import the two model layers anyway).
_REEXPORTED = ("queueing", "reliability", "model", "analysis")
#: The names re-exported from :mod:`availcalc.simulation` (scipy.stats and simpy: not searched).
_SIMULATION_NAMES = (
    "simulate",
    "validate",
    "monte_carlo_availability",
    "simulate_outage",
    "simulate_queue",
    "Distribution",
    "Station",
)


def _public_names() -> list[str]:
    names = [n for sub in _REEXPORTED for n in importlib.import_module(f"availcalc.{sub}").__all__]
    return [*names, *_SIMULATION_NAMES]


def _resolve(name: str) -> object:
    if name == "__all__":
        return _public_names()
    if name in _SIMULATION_NAMES:
        return getattr(importlib.import_module("availcalc.simulation"), name)
    if name.isidentifier() and not name.startswith("__"):
        if importlib.util.find_spec(f"{__name__}.{name}") is not None:  # a subpackage or module
            return importlib.import_module(f"{__name__}.{name}")
        for sub in _REEXPORTED:
            module = importlib.import_module(f"availcalc.{sub}")
            if name in module.__all__:
                return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __getattr__(name: str) -> object:
    value = _resolve(name)
    globals()[name] = value  # found once; later lookups are plain attribute reads
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_public_names()})
