"""Simulation and Monte Carlo checks of the analytic models (discrete-event, seeded, parallel).

* :func:`simulate` — a scenario's latency, availability and performability by simulation, the
  same quasi-steady-state decomposition as :func:`availcalc.evaluate` (queue runs per failure
  configuration + failure/repair runs over many years), each metric an :class:`Estimate` with a
  replication confidence interval;
* :func:`validate` — analytic against simulated, one row per metric, with an agreement flag;
* :func:`simulate_outage` — a short joint run of messages through one outage (backlog, drain,
  the late messages the decomposition does not count);
* :func:`monte_carlo_availability` — any block or diagram (or a scenario's path) with Weibull,
  lognormal, gamma or deterministic times (:class:`Distribution`), to see when the exponential
  assumption matters;
* :func:`simulate_queue` — FCFS stations in tandem (:class:`Station`), exact recursions or Ciw.

Replications run in this process, on local processes (``n_jobs``) or on a Dask cluster
(``client=``); every replication has its own child of one :class:`numpy.random.SeedSequence`,
so a seed gives identical results on every backend.
"""

from availcalc.simulation._stats import Estimate
from availcalc.simulation.distributions import Distribution
from availcalc.simulation.montecarlo import AvailabilityResult, monte_carlo_availability
from availcalc.simulation.outage import OutageSimulation, simulate_outage
from availcalc.simulation.queue import QueueSimulation, Station, simulate_queue
from availcalc.simulation.scenario_sim import SimulationResult, simulate
from availcalc.simulation.validate import VALIDATION_COLUMNS, validate

__all__ = [
    "VALIDATION_COLUMNS",
    "AvailabilityResult",
    "Distribution",
    "Estimate",
    "OutageSimulation",
    "QueueSimulation",
    "SimulationResult",
    "Station",
    "monte_carlo_availability",
    "simulate",
    "simulate_outage",
    "simulate_queue",
    "validate",
]
