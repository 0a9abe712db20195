"""availcalc: capacity and availability calculator for scaled-out messaging tiers.

The public API is re-exported here from the subpackages:

* :mod:`availcalc.queueing` — Erlang B/C, M/M/c, M/M/c/K, M/G/c, Jackson networks, sizing
  (unit-agnostic: times are in the unit of 1/rate);
* :mod:`availcalc.reliability` — components, reliability block diagrams, k-of-n with repair
  crews, active/passive failover clusters, NLB pools, general Markov models (time in hours);
* :mod:`availcalc.model` — the sending tier: scenarios (units in every field name), presets,
  :func:`evaluate`, :func:`compare`, :func:`size_instances`, calibration helpers;
* :mod:`availcalc.analysis` — sweeps, tornado, importance, crossovers (tidy DataFrames);
* :mod:`availcalc.figures` — plotly figure factories (loaded on first use);
* :mod:`availcalc.simulation` — discrete-event simulation and Monte Carlo checks:
  :func:`simulate`, :func:`validate`, :func:`monte_carlo_availability` (loaded on first use).
"""

import importlib

from availcalc import analysis as _analysis
from availcalc import model as _model
from availcalc import queueing as _queueing
from availcalc import reliability as _reliability
from availcalc.analysis import *  # noqa: F403
from availcalc.model import *  # noqa: F403
from availcalc.queueing import *  # noqa: F403
from availcalc.reliability import *  # noqa: F403

__version__ = "0.1.0"

# Loaded on first use so that `import availcalc` stays light (plotly, simpy and scipy.stats).
_LAZY_MODULES = {"figures": "availcalc.figures", "simulation": "availcalc.simulation"}
_SIMULATION_NAMES = (
    "simulate",
    "validate",
    "monte_carlo_availability",
    "simulate_outage",
    "simulate_queue",
    "Distribution",
    "Station",
)

__all__ = [
    *_queueing.__all__,
    *_reliability.__all__,
    *_model.__all__,
    *_analysis.__all__,
    *_SIMULATION_NAMES,
]


def __getattr__(name: str) -> object:
    if name in _LAZY_MODULES:
        return importlib.import_module(_LAZY_MODULES[name])
    if name in _SIMULATION_NAMES:
        return getattr(importlib.import_module("availcalc.simulation"), name)
    raise AttributeError(f"module 'availcalc' has no attribute {name!r}")
