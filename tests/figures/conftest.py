"""Data for the figure tests, computed once per session by the analysis layer."""

from types import SimpleNamespace

import numpy as np
import pytest

import availcalc as ac


@pytest.fixture(scope="session")
def data():
    msmq = ac.load_preset("msmq_clustered_active_passive")
    http = ac.load_preset("http_scaled_out_2node_tuned")
    nlb = ac.load_preset("sharepoint_2x_nlb3")
    nlb_whole_pool = nlb.replace(**{"destination.outage_scope": "whole_pool"})
    ev_http = ac.evaluate(http)
    load = ac.sweep(
        http,
        {"workload.arrival_rate_per_s": np.linspace(20.0, 1.1 * ev_http.capacity_per_s, 8)},
    )
    grid = ac.sweep(
        nlb,
        {"workload.arrival_rate_per_s": [4.0, 8.0, 12.0, 30.0], "send_host.instances": [1, 2, 3]},
    )
    mttr = ac.sweep(http, {"send_host.mttr_h": [0.2, 0.69, 2.0, 6.0]})
    return SimpleNamespace(
        msmq=msmq,
        http=http,
        nlb=nlb,
        ev_msmq=ac.evaluate(msmq),
        ev_http=ev_http,
        ev_nlb=ac.evaluate(nlb),
        load=load,
        grid=grid,
        mttr=mttr,
        handlers=ac.handler_comparison(msmq, [1, 2, 3]),
        tornado=ac.tornado(
            http,
            "sla_downtime_min_per_year",
            parameters=[
                "destination.availability",
                "send_host.mttr_h",
                "messagebox.mttf_h",
                "workload.arrival_rate_per_s",
            ],
        ),
        importance=ac.importance(msmq),
        # Node MTTR of the NLB pool saves a tiny negative downtime (more convergence outages)
        importance_nlb=ac.importance(nlb),
        importance_nlb_whole_pool=ac.importance(nlb_whole_pool),
        handlers_nlb=ac.handler_comparison(nlb, [1, 2, 3, 4, 5, 6]),
        handlers_nlb_whole_pool=ac.handler_comparison(nlb_whole_pool, [1, 2, 3, 4, 5, 6]),
        blocks=ac.block_importance(http),
    )
