r"""Availability and reliability models, time in hours (see the package docstring of availcalc).

Blocks — every one has the same measures (``availability``, ``unavailability``, ``nines``,
``downtime_min_per_year``, ``failure_frequency_per_h``, ``mut_h``, ``mdt_h``, ``mtbf_h``,
``mttf_h``, ``reliability(t_h)``, ``point_availability(t_h)``,
``interval_availability(t_h)``, ``importance()``, ``summary()``):

* :class:`Component` — one repairable component;
* :class:`KofN` — n identical units, k needed, shared repair crews (birth–death, log space);
* :class:`ActivePassive` — failover cluster (2..64 nodes, one active) with coverage and
  switchover;
* :class:`Standby` — one active unit, the others in cold, warm or hot standby;
* :class:`NLBPool` — load-balanced pool losing requests for a few seconds per node failure;
* :class:`MarkovModel` — any CTMC given by states, rates and up states;
* :func:`series`, :func:`parallel`, :func:`k_of_n` — block diagrams over the above, exact
  for shared components (BDD over leaves identified by object);
* :func:`network` — two-terminal network reliability from an edge list (bridges), exact.

:class:`Block` is their common base (for ``isinstance`` checks and type hints);
:class:`StateSpaceTooLarge` (a ``ValueError``) reports a product space beyond the documented
limits. Layer-1 functions live in the submodules :mod:`~availcalc.reliability.markov` (GTH, sparse
steady state, absorption), :mod:`~availcalc.reliability.birth_death`,
:mod:`~availcalc.reliability.transient` and :mod:`~availcalc.reliability.structure` (BDD).
"""

from availcalc.reliability._base import Block
from availcalc.reliability.blocks import ActivePassive, Component, KofN, NLBPool, Standby
from availcalc.reliability.diagram import Diagram, k_of_n, network, parallel, series
from availcalc.reliability.markov import StateSpaceTooLarge
from availcalc.reliability.markov_model import MarkovModel

__all__ = [
    "ActivePassive",
    "Block",
    "Component",
    "Diagram",
    "KofN",
    "MarkovModel",
    "NLBPool",
    "Standby",
    "StateSpaceTooLarge",
    "k_of_n",
    "network",
    "parallel",
    "series",
]
