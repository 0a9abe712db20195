"""Open Jackson networks and tandem lines: hand solutions and reductions to M/M/c."""

import math

import numpy as np
import pytest

from availcalc.queueing import MMc, OpenNetwork, tandem


def test_tandem_is_sum_of_mmc():
    stages = [(1.0, 10), (4.0, 3), (0.5, 20)]
    line = tandem(8.0, stages, names=["receive", "map", "send"])
    parts = [MMc(8.0, mu, c) for mu, c in stages]
    assert line.end_to_end_response == pytest.approx(sum(p.mean_response for p in parts), rel=1e-14)
    assert line.mean_in_system == pytest.approx(sum(p.mean_in_system for p in parts), rel=1e-14)
    np.testing.assert_allclose(line.visit_rates, 8.0, rtol=1e-15)
    st = line.stations
    assert list(st["name"]) == ["receive", "map", "send"]
    np.testing.assert_allclose(st["mean_wait"], [p.mean_wait for p in parts], rtol=1e-14)
    assert st["stable"].all() and line.stable


def test_single_station_with_feedback_matches_hand_solution():
    # M/M/1 with Bernoulli feedback p: gamma = lam/(1 - p), T = 1/(mu (1 - p) - lam)
    lam, mu, p = 2.0, 5.0, 0.4
    net = OpenNetwork([lam], [mu], [1], [[p]])
    assert net.visit_rates[0] == pytest.approx(lam / (1 - p), rel=1e-15)
    assert net.end_to_end_response == pytest.approx(1 / (mu * (1 - p) - lam), rel=1e-14)


def test_three_station_network_hand_solved():
    # web (1) -> app (2) -> db (3); db returns 30 % to app, app sends 10 % back to web
    #   g1 = 6 + 0.1 g2,  g2 = g1 + 0.3 g3,  g3 = 0.9 g2
    # => g2 = g1 + 0.27 g2 => g2 = g1/0.73 ; g1 = 6 + 0.1 g1/0.73 => g1 = 6/(1 - 0.1/0.73)
    p = [[0.0, 1.0, 0.0], [0.1, 0.0, 0.9], [0.0, 0.3, 0.0]]
    net = OpenNetwork([6.0, 0.0, 0.0], [10.0, 5.0, 12.0], [1, 3, 2], p, names=["web", "app", "db"])
    g1 = 6.0 / (1 - 0.1 / 0.73)
    g2 = g1 / 0.73
    g3 = 0.9 * g2
    np.testing.assert_allclose(net.visit_rates, [g1, g2, g3], rtol=1e-14)
    stations = [
        MMc(g, mu, c) for g, mu, c in zip([g1, g2, g3], [10.0, 5.0, 12.0], [1, 3, 2], strict=True)
    ]
    total_l = sum(s.mean_in_system for s in stations)
    assert net.mean_in_system == pytest.approx(total_l, rel=1e-13)
    assert net.end_to_end_response == pytest.approx(total_l / 6.0, rel=1e-13)
    # Little: sum gamma_i W_i / sum lambda
    w = sum(g * s.mean_response for g, s in zip([g1, g2, g3], stations, strict=True))
    assert net.end_to_end_response == pytest.approx(w / 6.0, rel=1e-13)
    assert set(net.stations.columns) >= {
        "name",
        "arrival_rate",
        "servers",
        "utilization",
        "mean_wait",
        "mean_response",
        "mean_in_system",
        "stable",
    }


def test_unstable_station():
    net = tandem(8.0, [(1.0, 10), (1.0, 8)])
    assert net.stable is False
    assert net.end_to_end_response == math.inf and net.mean_in_system == math.inf
    assert list(net.stations["stable"]) == [True, False]
    assert "stable=False" in repr(net)


def test_station_without_traffic():
    net = OpenNetwork([3.0, 0.0], [4.0, 1.0], [1, 1], [[0.0, 0.0], [0.0, 0.0]])
    st = net.stations
    assert st["arrival_rate"][1] == 0.0 and st["mean_wait"][1] == 0.0
    assert st["mean_response"][1] == 1.0
    assert net.end_to_end_response == pytest.approx(MMc(3.0, 4.0, 1).mean_response, rel=1e-15)


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (([1.0, 0.0], [1.0], [1, 1], np.zeros((2, 2))), "service_rates"),
        (([1.0, 0.0], [1.0, 1.0], [1, 0], np.zeros((2, 2))), "servers"),
        (([1.0, 0.0], [1.0, 1.0], [1, 1], np.zeros((3, 3))), "routing"),
        (([1.0, 0.0], [1.0, 1.0], [1, 1], [[0.0, 1.0], [1.0, 0.0]]), "routing"),
        (([1.0, 0.0], [1.0, 1.0], [1, 1], [[0.0, 0.7], [0.6, 0.6]]), "routing"),
        (([1.0, 0.0], [1.0, 1.0], [1, 1], [[0.0, -0.1], [0.0, 0.0]]), "routing"),
        (([0.0, 0.0], [1.0, 1.0], [1, 1], np.zeros((2, 2))), "arrival_rates"),
        (([-1.0, 2.0], [1.0, 1.0], [1, 1], np.zeros((2, 2))), "arrival_rates"),
        (([1.0, 0.0], [1.0, -1.0], [1, 1], np.zeros((2, 2))), "service_rates"),
    ],
)
def test_bad_network(args, match):
    with pytest.raises(ValueError, match=match):
        OpenNetwork(*args)


def test_bad_tandem_and_names():
    with pytest.raises(ValueError, match="stations"):
        tandem(1.0, [])
    with pytest.raises(ValueError, match="arrival_rate"):
        tandem(0.0, [(1.0, 1)])
    with pytest.raises(ValueError, match="names"):
        tandem(1.0, [(2.0, 1)], names=["a", "b"])
