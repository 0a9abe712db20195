"""The run settings every simulation takes, checked in one place.

Each check raises :class:`ValueError` naming the setting, the value and the valid range (the
rules of :mod:`availcalc._validation`). Settings that set the amount of work (replications,
messages, years) have upper limits, so that a run too long to finish is refused at once with
the limit named, never left to hang.
"""

from __future__ import annotations

import math
from numbers import Integral
from typing import Any

import numpy as np

from availcalc._validation import (
    _short,
    check_integer,
    check_probability,
    check_type,
    scalar,
)

__all__ = [
    "MAX_MESSAGES",
    "MAX_QUEUE_MESSAGES",
    "MAX_REPLICATIONS",
    "check_confidence",
    "check_count",
    "check_queue_work",
    "check_seed",
    "check_warmup",
    "check_years",
]

#: Most replications of any simulation (each gets its own child seed).
MAX_REPLICATIONS = 100_000

#: Most messages one replication simulates (its arrays stay under ~100 MB).
MAX_MESSAGES = 10**7

#: Most simulated messages in one queue run (messages × replications × stations), by engine:
#: about a minute of work each (the recursion engine takes ~0.2 µs a message, Ciw ~25 µs).
MAX_QUEUE_MESSAGES = {"recursion": 2e8, "ciw": 2e6}


def check_count(name: str, x: Any, minimum: int, maximum: int) -> int:
    """Return ``x`` as an ``int`` in ``[minimum, maximum]`` (``3.0`` is accepted as 3)."""
    check_integer(name, x if isinstance(x, Integral) else scalar(name, x), minimum, maximum)
    return int(x)


def check_confidence(x: Any) -> float:
    """Return the confidence level of the intervals, a probability in (0, 1)."""
    return scalar("confidence", x, check_probability)


def check_warmup(x: Any) -> float:
    """Return the warm-up fraction of each queue run, in [0, 0.9)."""
    x = scalar("warmup", x)
    if not 0.0 <= x < 0.9:
        raise ValueError(f"warmup must be a fraction in [0, 0.9); got {x!r}")
    return x


def check_years(x: Any) -> float:
    """Return the simulated years of each replication, a finite number > 0."""
    x = scalar("years", x)
    if not (math.isfinite(x) and x > 0.0):
        raise ValueError(f"years must be a finite number > 0; got {x!r}")
    return x


def check_seed(seed: Any) -> Any:
    """Return ``seed`` if numpy's :class:`~numpy.random.SeedSequence` takes it.

    None (fresh entropy), an integer >= 0, or a ``SeedSequence``.
    """
    if seed is None or isinstance(seed, np.random.SeedSequence):
        return seed
    check_type("seed", seed, (int, np.integer), "None, an integer >= 0 or a SeedSequence")
    if isinstance(seed, bool) or seed < 0:
        raise ValueError(
            f"seed must be None, an integer >= 0 or a SeedSequence; got {_short(seed)}"
        )
    return seed


def check_queue_work(
    messages: float, replications: int, stations: int, engine: str, name: str = "messages"
) -> None:
    """Refuse a queue simulation of more than :data:`MAX_QUEUE_MESSAGES` message steps.

    ``messages`` per replication (at most :data:`MAX_MESSAGES`), through ``stations`` stations.
    """
    if messages > MAX_MESSAGES:
        raise ValueError(
            f"{name} must keep one replication under {MAX_MESSAGES:.0e} messages; "
            f"got {messages:.3g} messages"
        )
    work = float(messages) * replications * stations
    limit = MAX_QUEUE_MESSAGES[engine]
    if work > limit:
        raise ValueError(
            f"messages × replications × stations must be at most {limit:.0e} with engine "
            f"{engine!r}; got {messages} × {replications} × {stations} = {work:.3g}: "
            f"use fewer {name} or replications"
        )
