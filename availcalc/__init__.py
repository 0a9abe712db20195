"""availcalc: capacity and availability calculator for scaled-out messaging tiers.

The public API is re-exported here from the subpackages:

* :mod:`availcalc.queueing` — Erlang B/C, M/M/c, M/M/c/K, M/G/c, Jackson networks, sizing
  (unit-agnostic: times are in the unit of 1/rate);
* :mod:`availcalc.reliability` — components, reliability block diagrams, k-of-n with repair
  crews, active/passive failover clusters, NLB pools, general Markov models (time in hours);
* :mod:`availcalc.model` — the sending tier: scenarios (units in every field name), presets,
  :func:`evaluate`, :func:`compare`, :func:`size_instances`.
"""

from availcalc import analysis as _analysis
from availcalc import model as _model
from availcalc import queueing as _queueing
from availcalc import reliability as _reliability
from availcalc.analysis import *  # noqa: F403
from availcalc.model import *  # noqa: F403
from availcalc.queueing import *  # noqa: F403
from availcalc.reliability import *  # noqa: F403

__version__ = "0.1.0"

__all__ = [*_queueing.__all__, *_reliability.__all__, *_model.__all__, *_analysis.__all__]


def __getattr__(name: str) -> object:
    # plotly figure factories load on first use, so `import availcalc` stays light
    if name == "figures":
        import importlib

        return importlib.import_module("availcalc.figures")
    raise AttributeError(f"module 'availcalc' has no attribute {name!r}")
