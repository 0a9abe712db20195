"""The sending-tier domain model: scenarios, presets, evaluation (units in every name)."""

from availcalc.model.evaluate import Evaluation, OutageImpact, evaluate
from availcalc.model.io import load_scenario, save_scenario, scenario_from_json, scenario_to_json
from availcalc.model.planning import Sizing, compare, size_instances
from availcalc.model.presets import (
    DEFAULT_PRESET,
    load_preset,
    preset_descriptions,
    preset_sources,
    presets,
)
from availcalc.model.schema import (
    Endpoint,
    FieldSpec,
    MessageBox,
    NLBDestination,
    Scenario,
    ScenarioError,
    SendHost,
    SendPort,
    Workload,
    numeric_fields,
)

__all__ = [
    "DEFAULT_PRESET",
    "Endpoint",
    "Evaluation",
    "FieldSpec",
    "MessageBox",
    "NLBDestination",
    "OutageImpact",
    "Scenario",
    "ScenarioError",
    "SendHost",
    "SendPort",
    "Sizing",
    "Workload",
    "compare",
    "evaluate",
    "load_preset",
    "load_scenario",
    "numeric_fields",
    "preset_descriptions",
    "preset_sources",
    "presets",
    "save_scenario",
    "scenario_from_json",
    "scenario_to_json",
    "size_instances",
]
