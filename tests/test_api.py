"""The top-level API: every exported name resolves; importing stays light."""

import subprocess
import sys

import pytest


def _fresh(code: str) -> str:
    """Run ``code`` in a fresh interpreter (this one has loaded everything); return its output."""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def test_public_api_names_resolve_and_import_stays_light():
    import availcalc

    for name in availcalc.__all__:
        assert getattr(availcalc, name) is not None, name
    # importing availcalc loads no layer at all: each loads on first use (PEP 562)
    heavy = ("numpy", "pandas", "scipy", "plotly", "streamlit", "simpy", "availcalc.model")
    code = f"import sys, availcalc; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    assert _fresh(code) == "[]"


def test_a_name_loads_its_own_layer_only():
    code = (
        "import sys; from availcalc import MMc; "
        "print(sorted(m for m in ('availcalc.reliability', 'availcalc.model', 'plotly', "
        "'scipy.stats', 'scipy.optimize') if m in sys.modules))"
    )
    assert _fresh(code) == "[]"


def test_every_public_name_imports_from_the_package_and_is_listed():
    import availcalc
    import availcalc.analysis
    import availcalc.model
    import availcalc.queueing
    import availcalc.reliability

    layers = (availcalc.queueing, availcalc.reliability, availcalc.model, availcalc.analysis)
    expected = [n for layer in layers for n in layer.__all__]
    assert availcalc.__all__[: len(expected)] == expected
    assert {"simulate", "validate", "monte_carlo_availability"} <= set(availcalc.__all__)
    listed = dir(availcalc)
    for name in availcalc.__all__:
        namespace: dict[str, object] = {}
        exec(f"from availcalc import {name}", namespace)
        assert namespace[name] is getattr(availcalc, name), name
        assert name in listed, name
    assert availcalc.model is sys.modules["availcalc.model"]
    assert availcalc.figures.__name__ == "availcalc.figures"


def test_an_unknown_name_is_an_attribute_error():
    import availcalc

    assert not hasattr(availcalc, "no_such_name")
    with pytest.raises(ImportError, match="no_such_name"):
        exec("from availcalc import no_such_name", {})
