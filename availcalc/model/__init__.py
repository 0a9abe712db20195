"""The sending-tier domain model: scenarios, presets, evaluation (units in every name)."""

from availcalc.model.calibration import (
    IncidentFit,
    ServiceFit,
    reliability_from_incidents,
    service_from_samples,
)
from availcalc.model.evaluate import Evaluation, OutageImpact, evaluate
from availcalc.model.io import load_scenario, save_scenario, scenario_from_json, scenario_to_json
from availcalc.model.metrics import METRICS, MetricSpec, format_metric, metric_spec
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
    inapplicable_fields,
    numeric_fields,
)

__all__ = [
    "DEFAULT_PRESET",
    "METRICS",
    "Endpoint",
    "Evaluation",
    "FieldSpec",
    "IncidentFit",
    "MessageBox",
    "MetricSpec",
    "NLBDestination",
    "OutageImpact",
    "Scenario",
    "ScenarioError",
    "SendHost",
    "SendPort",
    "ServiceFit",
    "Sizing",
    "Workload",
    "compare",
    "evaluate",
    "format_metric",
    "inapplicable_fields",
    "load_preset",
    "load_scenario",
    "metric_spec",
    "numeric_fields",
    "preset_descriptions",
    "preset_sources",
    "presets",
    "reliability_from_incidents",
    "save_scenario",
    "scenario_from_json",
    "scenario_to_json",
    "service_from_samples",
    "size_instances",
]
