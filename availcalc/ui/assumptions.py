"""The assumptions panel: modelling assumptions and where every input value comes from."""

from __future__ import annotations

import functools
from typing import Any

import pandas as pd

from availcalc.model.evaluate import evaluate
from availcalc.model.presets import load_preset, preset_sources, presets
from availcalc.model.schema import Scenario
from availcalc.ui.fields import GROUP_TITLES, input_specs

__all__ = [
    "CAVEATS",
    "MODEL_ASSUMPTIONS",
    "REPAIR_CREWS_RULE",
    "model_assumptions",
    "repair_crews_in_effect",
    "source_kind",
    "sources_table",
    "value_source",
]

#: The repair-crew rule of every block (``KofN``, ``ActivePassive``, ``NLBPool``) and scenario.
REPAIR_CREWS_RULE = (
    "Repair crews: by default every unit (host instance, cluster node, NLB node) has its own "
    "repair crew, so failed units are repaired independently and at the same time; 'repair "
    "crews' limits how many are repaired at once (the others wait)."
)

#: Every modelling assumption behind the numbers, in words (see ``availcalc.model.evaluate``).
MODEL_ASSUMPTIONS: tuple[str, ...] = (
    "Send stage: M/M/c with c = active instances × concurrent sends per instance and service "
    "rate 1/(service time); when an arrival or service variability c² is not 1, the "
    "Allen–Cunneen G/G/c approximation instead.",
    "A scaled-out handler sends from every instance up; a clustered handler from one node only "
    "(active/passive), so clustering adds availability, never capacity.",
    "An ordered send port runs on one instance, one message at a time (c = 1), with the "
    "ordered-delivery overhead added to every send.",
    "MessageBox: one M/M/1 station at its capacity in series with the send stage (when "
    "modelled). An NLB destination: one M/M/c station with one server per node up. An endpoint "
    "destination limits capacity only (no queue).",
    "End-to-end latency: the sum of the stations' response times (tandem queues, independent "
    "stations); its percentile comes from the convolution of the stations' distributions.",
    "Failures and repairs are exponential (constant rates) and independent between "
    "components; availability is the steady state of the Markov chains.",
    "The path is a series system: MessageBox (SQL failover cluster + shared storage), send "
    "tier (k-of-n with k = 1, or a failover cluster with one node active), destination (endpoint "
    "or NLB pool).",
    "A clustered host fails over to a passive node automatically with probability 'coverage' in "
    "'failover time'; otherwise a manual recovery takes 'manual recovery time'. A second "
    "failure during a failover moves it to another node; the last node's failure is an outage.",
    REPAIR_CREWS_RULE,
    "Every SQL failover recycles all host instances: the outage is failover + host restart.",
    "After every NLB node failure, the failed node's share of the requests fails for the "
    "detection + convergence time (or all requests, if 'lost during detection + convergence' "
    "is whole_pool), counted as equivalent whole-pool downtime; the pool is down when fewer "
    "than 'nodes needed' are up.",
    "Performability (SLA availability, expected throughput, failure states) assumes queues "
    "settle much faster than failures and repairs happen (quasi-steady state).",
    "Planned failovers (patching a clustered host) are reported as planned downtime, outside "
    "availability; rolling restarts of a scaled-out host cost none.",
    "Messages at risk: only non-transactional sends lose the messages in flight (and in "
    "volatile storage) on the instance that crashes.",
    "Backlog after an outage: a fluid approximation (λ·T piles up, drains at the spare capacity).",
    "A year is 365 days (525 600 min).",
)


#: What the numbers do not cover, or where the inputs need care.
CAVEATS: tuple[str, ...] = (
    "Every MTTF and MTTR is an estimate: calibrate them from incident logs (events per year "
    "and mean duration per component).",
    "A clustered host needs BizTalk Server Enterprise Edition, a Windows failover cluster and "
    "shared storage.",
    "M/M/c underestimates latency tails for heavy-tailed endpoints (SharePoint, FTP): set the "
    "service variability c² above 1 for those.",
    "HTTP/SOAP/WCF concurrency is capped by maxconnection (default 2): enter the effective "
    "concurrent sends per instance, not the thread count.",
    "Service times and capacities should come from load tests (maximum sustainable "
    "throughput), not from vendor figures.",
    "Retries, backup transports and service windows are not in the availability figures.",
)


def repair_crews_in_effect(scenario: Scenario) -> str:
    """Return the repair crews the model uses for ``scenario``, one clause per redundant block.

    Read from the blocks :func:`~availcalc.evaluate` builds (their ``effective_crews``), so the
    text always says what the numbers assume.

    Examples
    --------
    >>> print(repair_crews_in_effect(load_preset("sharepoint_2x_nlb3")))
    2 repair crews (one per instance) for the send host instances and 3 repair crews (one per
    node) for the destination NLB pool
    """
    parts = []
    for block in _leaves(evaluate(scenario).system):
        crews = getattr(block, "effective_crews", None)
        if crews is None:
            continue
        size, unit = next(
            (getattr(block, attr), noun)
            for attr, noun in (("n", "instance"), ("nodes", "node"), ("units", "server"))
            if hasattr(block, attr)
        )
        noun = "repair crew" if crews == 1 else "repair crews"
        if crews >= size:
            parts.append(f"{crews} {noun} (one per {unit}) for the {block.name}")
        else:
            parts.append(f"{crews} {noun} (shared by {size} {unit}s) for the {block.name}")
    if len(parts) < 2:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _leaves(block: Any) -> list[Any]:
    inner = getattr(block, "blocks", None)
    if inner is None:
        return [block]
    return [leaf for b in inner for leaf in _leaves(b)]


def model_assumptions(scenario: Scenario) -> tuple[str, ...]:
    """Return :data:`MODEL_ASSUMPTIONS` with the repair crews in effect for ``scenario``.

    Examples
    --------
    >>> text = model_assumptions(load_preset("msmq_clustered_active_passive"))
    >>> "2 repair crews (one per node) for the send host cluster" in " ".join(text)
    True
    """
    here = f" This scenario assumes {repair_crews_in_effect(scenario)}."
    return tuple(a + here if a == REPAIR_CREWS_RULE else a for a in MODEL_ASSUMPTIONS)


def source_kind(source: str) -> str:
    """Return the kind of a source note: ``documented``, ``estimate``, ``model`` or ``other``.

    Examples
    --------
    >>> source_kind("estimate: 30 ms"), source_kind("documented behaviour; 30 s is an estimate")
    ('estimate', 'documented')
    """
    head = source.strip().lower()
    for kind in ("documented", "estimate", "model"):
        if head.startswith(kind):
            return kind
    return "other"


def value_source(path: str, value: Any, preset: str | None) -> str:
    """Return where the current value of a field comes from.

    The preset's note when the value is the preset's; ``"your value (the preset has X)"`` when it
    was changed; the field spec's source when the preset does not model the section.
    """
    section, _, name = path.partition(".")
    spec = next(s for s in input_specs() if s.section == section and s.name == name)
    if preset is None or preset not in presets():
        return spec.spec.source
    base = _preset(preset)
    base_section = getattr(base, section)
    if base_section is None or not hasattr(base_section, name):
        return spec.spec.source
    base_value = getattr(base_section, name)
    if base_value != value:
        return f"your value (the preset has {base_value!r})"
    return _sources(preset).get(path, spec.spec.source)


@functools.cache
def _preset(name: str) -> Scenario:
    return load_preset(name)


@functools.cache
def _sources(name: str) -> dict[str, str]:
    return preset_sources(name)


def sources_table(scenario: Scenario, preset: str | None) -> pd.DataFrame:
    """Return one row per field of ``scenario``: its value, unit and where the value comes from.

    Columns: ``section``, ``input``, ``path``, ``value``, ``unit``, ``kind`` (documented,
    estimate, model, other or ``yours`` for a changed value) and ``source``.

    Examples
    --------
    >>> name = "msmq_clustered_active_passive"
    >>> df = sources_table(load_preset(name), name)
    >>> df.set_index("path").loc["send_host.mttf_h", ["value", "kind"]].tolist()
    ['1168', 'estimate']
    """
    rows = []
    data = scenario.to_dict()
    dest = data["destination"]
    for spec in input_specs():
        section = data[spec.section]
        if section is None:
            continue
        if spec.section == "destination" and spec.group != f"destination.{dest['kind']}":
            continue
        value = section[spec.name]
        src = value_source(spec.path, value, preset)
        rows.append(
            {
                "section": GROUP_TITLES[spec.group],
                "input": spec.spec.label,
                "path": spec.path,
                "value": "empty" if value is None else _text(value),
                "unit": spec.spec.unit,
                "kind": "yours" if src.startswith("your value") else source_kind(src),
                "source": src,
            }
        )
    return pd.DataFrame(rows)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
