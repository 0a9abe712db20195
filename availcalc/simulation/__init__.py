"""Discrete-event simulation and Monte Carlo checks of the analytic models (see simulate)."""

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
