"""Built-in scenarios: the topologies of BizTalk Server's "Scaled-Out Sending Hosts" guidance.

Each preset has a one-line description and, for every value it sets, where the value comes from:
``documented`` (BizTalk Server documentation) or ``estimate`` (an engineering starting point to
calibrate with load tests and incident logs). Values a preset does not set keep the field
defaults, whose sources are in the field specs (:mod:`availcalc.model.schema`).

Reliability inputs combine several failure sources in series into one "instance":

* a scaled-out HTTP/WCF instance = server (MTTF 4 380 h, MTTR 2 h) + host-instance process
  (MTTF 2 190 h, MTTR 2 min): MTTF = 1/(1/4380 + 1/2190) = 1 460 h, MTTR = U·MTTF ≈ 0.69 h;
* an MSMQ node adds the MSMQ service (8 760 h, 2 min) and MSDTC (17 520 h, 2 min):
  MTTF = 17 520/15 = 1 168 h, MTTR ≈ 0.56 h.
"""

from __future__ import annotations

from typing import Any

from availcalc.model.schema import FieldSpec, Scenario, ScenarioError, numeric_fields

__all__ = ["DEFAULT_PRESET", "load_preset", "preset_descriptions", "preset_sources", "presets"]

DEFAULT_PRESET = "http_scaled_out_2node_tuned"

_NODE = "estimate: server 4 380 h/2 h + host process 2 190 h/2 min in series"
_MSMQ_NODE = "estimate: server, host process, MSMQ and MSDTC in series"
_SQL = {
    "ha": "failover_cluster",
    "patch_failovers_per_year": 24.0,
    "mttf_h": 4380.0,
    "mttr_h": 2.0,
    "failover_s": 60.0,
    "coverage": 0.98,
    "manual_failover_h": 0.75,
    "host_restart_s": 30.0,
    "storage_mttf_h": 500_000.0,
    "storage_mttr_h": 8.0,
}
# Adapters whose message stays in the MessageBox until the send succeeds: a host crash loses
# nothing (the message is sent again), which the model calls a transactional send.
_AT_LEAST_ONCE = {"transactional": True}
_AT_LEAST_ONCE_SOURCE = {
    "send_port.transactional": "model: the message stays in the MessageBox until the adapter "
    "reports the send done; a crashed instance's messages are sent again, none is lost",
}
# Monthly patching and quarterly cumulative updates, the planned work every group meets.
_SCALED_OUT_PATCHING = {
    "rolling_reboots_per_year": 12.0,
    "reboot_h": 0.25,
    "group_stops_per_year": 4.0,
    "group_stop_h": 1.0,
}
_CLUSTERED_PATCHING = {"group_stops_per_year": 4.0, "group_stop_h": 1.0}
_PATCHING_SOURCES = {
    "send_host.rolling_reboots_per_year": "estimate: monthly OS patching, one instance at a time",
    "send_host.group_stops_per_year": "documented: a cumulative update with SQL scripts stops "
    "every host instance (Microsoft support article 2003907); estimate: quarterly",
}


def _lab_contention(two: float, three: float) -> float:
    r"""Return the MessageBox contention σ that takes 2 host instances' throughput to 3's.

    With the MessageBox the bottleneck at both points, the capacity
    :math:`C/(1 + \sigma (H - 1))` (:func:`~availcalc.model.kinds.messagebox_database_rate`)
    gives :math:`X_3 / X_2 = (1 + \sigma)/(1 + 2\sigma)`, so

    .. math:: \sigma = \frac{X_2 - X_3}{2 X_3 - X_2}.

    The only documented fall in throughput as BizTalk computers were added is the BizTalk
    Server 2010 performance optimization guide's four-MessageBox lab, 2 → 3 computers
    ("Observations and Recommendations",
    learn.microsoft.com/biztalk/technical-guides/observations-and-recommendations):
    messaging 2790 → 2656 documents/s, orchestration 1487 → 1388. The presets take σ from
    it as an estimate: the lab's single-MessageBox pair (1 → 2 computers, 1266 → 1267)
    shows no measurable contention, and its computers ran every host where the model
    counts the send host's instances.

    Examples
    --------
    >>> round(_lab_contention(2790.0, 2656.0), 6), round(_lab_contention(1487.0, 1388.0), 6)
    (0.053132, 0.076804)
    """
    return (two - three) / (2.0 * three - two)


MESSAGING_CONTENTION = _lab_contention(2790.0, 2656.0)
ORCHESTRATION_CONTENTION = _lab_contention(1487.0, 1388.0)
_SQL_SOURCES = {
    "messagebox.ha": "documented: every MessageBox should be clustered",
    "messagebox.patch_failovers_per_year": "estimate: monthly SQL patching, move and back",
    "messagebox.host_restart_s": "documented: SQL failover recycles host instances; 30 s estimate",
    "messagebox.storage_mttf_h": "estimate: dual-controller SAN, the cluster's shared disk",
}


# SharePoint adapter (WSS, client OM) send host and the SharePoint web front ends behind NLB
_SHAREPOINT_HOST = {
    "concurrency": 4,
    "service_time_s": 0.5,
    "service_scv": 2.0,
    "mttf_h": 1460.0,
    "mttr_h": 0.69,
    "throttling_threshold_messages": 50_000,
    **_SCALED_OUT_PATCHING,
}
_SHAREPOINT_HOST_SOURCES = {
    **_PATCHING_SOURCES,
    "send_host.service_time_s": "estimate: document upload ≤ 1 MB, 500 ms",
    "send_host.service_scv": "estimate: p95 ≈ 4 × mean, heavier than exponential",
    "send_host.concurrency": "estimate: SharePoint adapter profile",
    "send_host.mttf_h": _NODE,
    "send_host.mttr_h": _NODE,
    "send_host.throttling_threshold_messages": "documented: BizTalk default 50 000",
}
_SHAREPOINT_FARM = {
    "kind": "nlb_pool",
    "nodes": 3,
    "needed": 1,
    "capacity_per_node_per_s": 30.0,
    "mttf_h": 2190.0,
    "mttr_h": 0.5,
}
_SHAREPOINT_FARM_SOURCES = {
    "destination.nodes": "documented pattern: SharePoint NLB installation",
}


def _http_2node(
    concurrency: int, description: str, concurrency_source: str
) -> tuple[dict[str, Any], dict[str, str]]:
    """Build the seed's main pattern: 2 scaled-out HTTP instances, SQL MessageBox, endpoint."""
    return (
        {
            "description": description,
            "workload": {"arrival_rate_per_s": 40.0, "latency_target_s": 2.0},
            "send_host": {
                "instances": 2,
                "concurrency": concurrency,
                "service_time_s": 0.15,
                "mttf_h": 1460.0,
                "mttr_h": 0.69,
                "throttling_threshold_messages": 50_000,
                **_SCALED_OUT_PATCHING,
            },
            "send_port": dict(_AT_LEAST_ONCE),
            "messagebox": {"capacity_per_s": 600.0, **_SQL},
            "destination": {"kind": "endpoint", "availability": 0.999, "mttr_h": 0.5},
        },
        {
            **_AT_LEAST_ONCE_SOURCE,
            "send_host.concurrency": concurrency_source,
            "send_host.mttf_h": _NODE,
            "send_host.mttr_h": _NODE,
            "send_host.throttling_threshold_messages": "documented: BizTalk default 50 000",
            **_PATCHING_SOURCES,
            **_SQL_SOURCES,
        },
    )


# name -> (scenario dict, {dotted path: source})
_PRESETS: dict[str, tuple[dict[str, Any], dict[str, str]]] = {
    "http_scaled_out_2node": _http_2node(
        2,
        "2-node scaled-out send host, HTTP adapter at the default maxconnection = 2: the "
        "hidden concurrency cap overloads it",
        "documented: HTTP maxconnection defaults to 2",
    ),
    "http_scaled_out_2node_tuned": _http_2node(
        20,
        "2-node scaled-out send host, HTTP adapter with maxconnection tuned to 20, MessageBox "
        "on a SQL failover cluster, partner endpoint at 99.9 %",
        "documented: maxconnection up to 12 × CPUs recommended",
    ),
    "msmq_clustered_active_passive": (
        {
            "description": "MSMQ send handler in a clustered host (active/passive) with "
            "transactional sends: one node's capacity, no message loss",
            "workload": {"arrival_rate_per_s": 100.0, "latency_target_s": 1.0},
            "send_host": {
                "instances": 2,
                "handler": "clustered",
                "concurrency": 4,
                "service_time_s": 0.005,
                "mttf_h": 1168.0,
                "mttr_h": 0.56,
                "coverage": 0.98,
                "failover_s": 60.0,
                "manual_failover_h": 0.75,
                "planned_failovers_per_year": 24.0,
                "throttling_threshold_messages": 50_000,
                **_CLUSTERED_PATCHING,
            },
            "send_port": {"transactional": True},
            "messagebox": {"capacity_per_s": 600.0, **_SQL},
        },
        {
            "send_host.handler": "documented: cluster the MSMQ send handler with MSMQ",
            "send_port.transactional": "documented: transactional MSMQ sends need the "
            "clustered host (Transactional = true set on the send port; default false)",
            "send_host.service_time_s": "estimate: 25 ms per transactional batch of 5",
            "send_host.concurrency": "estimate: transactional MSMQ profile",
            "send_host.mttf_h": _MSMQ_NODE,
            "send_host.mttr_h": _MSMQ_NODE,
            "send_host.planned_failovers_per_year": "estimate: monthly patching, move + back",
            "send_host.throttling_threshold_messages": "documented: BizTalk default 50 000",
            **_PATCHING_SOURCES,
            **_SQL_SOURCES,
        },
    ),
    "msmq_nonclustered_3x": (
        {
            "description": "MSMQ send handler scaled out on 3 instances, not transactional: "
            "higher availability, but in-flight express messages are lost on a crash",
            "workload": {"arrival_rate_per_s": 100.0, "latency_target_s": 1.0},
            "send_host": {
                "instances": 3,
                "concurrency": 8,
                "service_time_s": 0.003,
                "mttf_h": 1168.0,
                "mttr_h": 0.56,
                "throttling_threshold_messages": 50_000,
                **_SCALED_OUT_PATCHING,
            },
            "send_port": {"transactional": False, "volatile_residence_s": 0.05},
            "messagebox": {"capacity_per_s": 600.0, **_SQL},
        },
        {
            "send_host.service_time_s": "estimate: non-transactional MSMQ profile, 3 ms",
            "send_host.concurrency": "estimate: non-transactional MSMQ profile",
            "send_host.mttf_h": _MSMQ_NODE,
            "send_host.mttr_h": _MSMQ_NODE,
            "send_port.transactional": "documented: MSMQ adapter default Transactional = false",
            "send_port.volatile_residence_s": "estimate: express messages in the outgoing queue",
            **_SQL_SOURCES,
            "send_host.throttling_threshold_messages": "documented: BizTalk default 50 000",
            **_PATCHING_SOURCES,
        },
    ),
    "sharepoint_2x_nlb3": (
        {
            "description": "SharePoint adapter on 2 send instances to a 3-node SharePoint "
            "farm behind Windows NLB (5 s detection + 3 s convergence per node failure, the "
            "failed node's requests lost meanwhile)",
            "workload": {"arrival_rate_per_s": 5.0, "latency_target_s": 5.0},
            "send_host": {"instances": 2, **_SHAREPOINT_HOST},
            "send_port": dict(_AT_LEAST_ONCE),
            "destination": dict(_SHAREPOINT_FARM),
        },
        {**_SHAREPOINT_HOST_SOURCES, **_SHAREPOINT_FARM_SOURCES, **_AT_LEAST_ONCE_SOURCE},
    ),
    "sharepoint_full_path": (
        {
            "description": "The whole send path: MessageBox on a SQL failover cluster with "
            "shared storage, SharePoint adapter scaled out on 3 send instances, 3-node "
            "SharePoint farm behind Windows NLB",
            "workload": {"arrival_rate_per_s": 10.0, "latency_target_s": 5.0},
            "send_host": {"instances": 3, **_SHAREPOINT_HOST},
            "send_port": dict(_AT_LEAST_ONCE),
            "messagebox": {"capacity_per_s": 600.0, **_SQL},
            "destination": dict(_SHAREPOINT_FARM),
        },
        {
            **_AT_LEAST_ONCE_SOURCE,
            "workload.arrival_rate_per_s": "estimate: 10 documents/s at peak, twice "
            "sharepoint_2x_nlb3's 5/s",
            "send_host.instances": "estimate: 3 instances carry the peak with one down "
            "(ρ ≈ 0.42 all up, 0.63 with one down)",
            "messagebox.capacity_per_s": "estimate: messaging flow, between BizTalk Benchmark "
            "Wizard 700–1400 and the tuned lab 1266 msg/s",
            **_SHAREPOINT_HOST_SOURCES,
            **_SHAREPOINT_FARM_SOURCES,
            **_SQL_SOURCES,
        },
    ),
    "e2e_messagebox_sql_fci": (
        {
            "description": "End-to-end send path with the MessageBox on a SQL failover "
            "cluster (orchestration flow: MessageBox capacity 600 × 0.54 msg/s)",
            "workload": {"arrival_rate_per_s": 100.0, "latency_target_s": 2.0},
            "send_host": {
                "instances": 2,
                "concurrency": 20,
                "service_time_s": 0.1,
                "mttf_h": 1460.0,
                "mttr_h": 0.69,
                "throttling_threshold_messages": 50_000,
                **_SCALED_OUT_PATCHING,
            },
            "send_port": dict(_AT_LEAST_ONCE),
            "messagebox": {"capacity_per_s": 324.0, **_SQL},
            "destination": {"kind": "endpoint", "availability": 0.999, "mttr_h": 0.5},
        },
        {
            **_AT_LEAST_ONCE_SOURCE,
            "messagebox.capacity_per_s": "documented ratio: orchestration 680 / messaging 1266",
            "send_host.service_time_s": "estimate: WCF-BasicHttp partner call",
            "send_host.mttf_h": _NODE,
            "send_host.mttr_h": _NODE,
            "send_host.throttling_threshold_messages": "documented: BizTalk default 50 000",
            **_PATCHING_SOURCES,
            **_SQL_SOURCES,
        },
    ),
    "ordered_send_port": (
        {
            "description": "Ordered FILE send port: a single instance sends one message at a "
            "time, whatever the number of host instances",
            "workload": {"arrival_rate_per_s": 15.0, "latency_target_s": 1.0},
            "send_host": {
                "instances": 2,
                "concurrency": 8,
                "service_time_s": 0.02,
                "mttf_h": 1460.0,
                "mttr_h": 0.69,
                "throttling_threshold_messages": 50_000,
                **_SCALED_OUT_PATCHING,
            },
            "send_port": {
                **_AT_LEAST_ONCE,
                "ordered_delivery": True,
                "ordered_overhead_s": 0.03,
                "retry_interval_min": 1.0,
            },
        },
        {
            **_AT_LEAST_ONCE_SOURCE,
            "send_port.ordered_delivery": "documented: ordered ports run on one instance",
            "send_port.retry_interval_min": "documented: 1 min recommended for ordered ports",
            "send_host.service_time_s": "estimate: FILE adapter, 20 ms",
            "send_host.mttf_h": _NODE,
            "send_host.mttr_h": _NODE,
            "send_host.throttling_threshold_messages": "documented: BizTalk default 50 000",
            **_PATCHING_SOURCES,
        },
    ),
}


def presets() -> list[str]:
    """Return the names of the built-in scenarios.

    Examples
    --------
    >>> "msmq_clustered_active_passive" in presets()
    True
    """
    return list(_PRESETS)


def preset_descriptions() -> dict[str, str]:
    """Return preset name → one-line description."""
    return {name: data["description"] for name, (data, _) in _PRESETS.items()}


def load_preset(name: str) -> Scenario:
    """Return a built-in scenario by name.

    Raises
    ------
    ValueError
        If ``name`` is not a preset (the message lists the choices).

    Examples
    --------
    >>> load_preset("msmq_nonclustered_3x").send_host.instances
    3
    """
    try:
        data, _ = _PRESETS[name]
    except KeyError:
        raise ScenarioError(
            "preset", f"unknown preset {name!r}; choose one of {', '.join(_PRESETS)}"
        ) from None
    return Scenario.from_dict({"name": name, **data})


def preset_sources(name: str) -> dict[str, str]:
    """Return dotted path → source note for every numeric field of a preset.

    The preset's own notes win; other fields fall back to the field spec's source.
    """
    scenario = load_preset(name)
    notes = _PRESETS[name][1]
    specs: dict[str, FieldSpec] = numeric_fields(scenario)
    return {path: notes.get(path, spec.source) for path, spec in specs.items()}
