"""Pure helpers for the what-if UI (``app.py``): no Streamlit import, unit-tested.

* :mod:`.fields` — input-widget specs derived from the scenario's field specs;
* :mod:`.state` — scenario ↔ the flat input state the widgets hold;
* :mod:`.query` — scenario ↔ shareable URL query parameters;
* :mod:`.format` — metric, percentage and validation-message formatting;
* :mod:`.results` — headline cards judged against the targets, advisories;
* :mod:`.analysis` — sweep parameters, ranges and metrics, clustered/scaled-out variants;
* :mod:`.assumptions` — modelling assumptions and the source of every input value;
* :mod:`.payloads` — CSV/JSON download payloads;
* :mod:`.charts` — the plotly config of every chart (named, report-quality image download).
"""

from availcalc.ui.analysis import (
    BLOCK_IMPORTANCE_COLUMNS,
    HEATMAP_Y_DEFAULTS,
    LATENCY_METRICS,
    MAX_LOAD_METRICS,
    SLA_METRICS,
    contour_level,
    default_range,
    handler_variants,
    importance_metric_options,
    metric_options,
    parameter_options,
    sweep_values,
)
from availcalc.ui.assumptions import (
    CAVEATS,
    MODEL_ASSUMPTIONS,
    model_assumptions,
    source_kind,
    sources_table,
    value_source,
)
from availcalc.ui.charts import IMAGE_FORMATS, chart_config, figure_file_stem
from availcalc.ui.fields import (
    CHOICE_LABELS,
    DESTINATION_KINDS,
    GROUP_TITLES,
    KEY_DESCRIPTION,
    KEY_DESTINATION_KIND,
    KEY_MESSAGEBOX_ON,
    KEY_NAME,
    InputSpec,
    input_spec,
    input_specs,
    inputs_by_group,
)
from availcalc.ui.format import (
    format_compare,
    format_error,
    format_metric,
    format_number,
    format_percent,
)
from availcalc.ui.payloads import file_stem, frame_csv, read_scenario, results_csv, scenario_json
from availcalc.ui.query import (
    QueryScenario,
    decode_query,
    encode_query,
    format_param,
    parse_fraction,
    parse_param,
    query_string,
    query_updates,
)
from availcalc.ui.results import (
    Advice,
    Card,
    advisories,
    headline_cards,
    metric_label,
    outage_cards,
    results_table,
)
from availcalc.ui.state import default_state, scenario_to_state, state_to_scenario

__all__ = [
    "BLOCK_IMPORTANCE_COLUMNS",
    "CAVEATS",
    "CHOICE_LABELS",
    "DESTINATION_KINDS",
    "GROUP_TITLES",
    "HEATMAP_Y_DEFAULTS",
    "IMAGE_FORMATS",
    "KEY_DESCRIPTION",
    "KEY_DESTINATION_KIND",
    "KEY_MESSAGEBOX_ON",
    "KEY_NAME",
    "LATENCY_METRICS",
    "MAX_LOAD_METRICS",
    "MODEL_ASSUMPTIONS",
    "SLA_METRICS",
    "Advice",
    "Card",
    "InputSpec",
    "QueryScenario",
    "advisories",
    "chart_config",
    "contour_level",
    "decode_query",
    "default_range",
    "default_state",
    "encode_query",
    "figure_file_stem",
    "file_stem",
    "format_compare",
    "format_error",
    "format_metric",
    "format_number",
    "format_param",
    "format_percent",
    "frame_csv",
    "handler_variants",
    "headline_cards",
    "importance_metric_options",
    "input_spec",
    "input_specs",
    "inputs_by_group",
    "metric_label",
    "metric_options",
    "model_assumptions",
    "outage_cards",
    "parameter_options",
    "parse_fraction",
    "parse_param",
    "query_string",
    "query_updates",
    "read_scenario",
    "results_csv",
    "results_table",
    "scenario_json",
    "scenario_to_state",
    "source_kind",
    "sources_table",
    "state_to_scenario",
    "sweep_values",
    "value_source",
]
