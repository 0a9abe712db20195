"""The first page loads only what it shows: no simulation layer, no scipy.stats.

Checked in a fresh interpreter (this one has loaded everything): ``import availcalc``, then the
first render of the app, then ``sys.modules``.
"""

import subprocess
import sys

from .conftest import APP

UNNEEDED = ("scipy.stats", "simpy", "availcalc.simulation")


def test_first_page_does_not_import_the_simulation_layer():
    code = (
        "import sys\n"
        "import availcalc\n"
        "from streamlit.testing.v1 import AppTest\n"
        f"at = AppTest.from_file({APP!r}, default_timeout=60)\n"
        "at.run()\n"
        "assert not at.exception, at.exception\n"
        "assert 'Validation' in [t.label for t in at.tabs]\n"
        f"print(sorted(m for m in {UNNEEDED!r} if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
