"""Fixtures for the reliability tests: a relative-error check that records the worst case."""

from __future__ import annotations

import pytest

from tests.reliability.mpref import rel

_WORST: dict[str, tuple[float, str]] = {}


@pytest.fixture
def check_rel(request):
    """check_rel(quantity, value, reference, tol=1e-10): assert and record |x - ref| / |ref|."""

    def check(quantity: str, value, reference, tol: float = 1e-10) -> float:
        err = rel(value, reference)
        prev = _WORST.get(quantity)
        if prev is None or err > prev[0]:
            _WORST[quantity] = (err, request.node.nodeid)
        assert err <= tol, (
            f"{quantity}: {float(value)!r} vs {float(reference)!r}, rel err {err:.3g}"
        )
        return err

    return check


def pytest_terminal_summary(terminalreporter):
    if not _WORST:
        return
    terminalreporter.section("reliability: worst relative error per quantity vs mpmath")
    for q, (err, node) in sorted(_WORST.items()):
        terminalreporter.write_line(f"{q:>24s}  {err:9.2e}  {node}")
