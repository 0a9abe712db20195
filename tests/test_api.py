"""The top-level API: every exported name resolves; importing stays light."""


def test_public_api_names_resolve_and_import_stays_light():
    import subprocess
    import sys

    import availcalc

    for name in availcalc.__all__:
        assert getattr(availcalc, name) is not None, name
    # a fresh interpreter: importing availcalc must not load the heavy optional layers
    code = (
        "import sys, availcalc; "
        "print(sorted(m for m in ('plotly', 'streamlit', 'simpy', 'scipy.stats', 'scipy.optimize')"
        " if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
