"""Queueing models: Erlang B/C, M/M/c, M/M/c/K, M/G/c, open Jackson networks, sizing.

All functions and model attributes broadcast over floats, numpy arrays and pandas Series, and
have a plain-float path for single calls. The core is unit-agnostic: times are in the unit of
1/rate. See ``docs/queueing.md`` for the formulas, assumptions and references.
"""

from availcalc.queueing.erlang import erlang_b, erlang_c, log_erlang_b, log_erlang_c
from availcalc.queueing.mgc import MGc
from availcalc.queueing.mmc import MMc
from availcalc.queueing.mmck import MMcK
from availcalc.queueing.network import OpenNetwork, tandem
from availcalc.queueing.sizing import max_offered_load, min_servers

__all__ = [
    "MGc",
    "MMc",
    "MMcK",
    "OpenNetwork",
    "erlang_b",
    "erlang_c",
    "log_erlang_b",
    "log_erlang_c",
    "max_offered_load",
    "min_servers",
    "tandem",
]
