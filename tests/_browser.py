"""Where the tests find a browser (Debian's chromium), and what they do without one.

Browser tests (the Playwright UI tests, static figure export through kaleido) run whenever a
chromium is found: ``AVAILCALC_CHROMIUM``, else ``/usr/bin/chromium``, else ``chromium`` /
``chromium-browser`` / ``google-chrome`` on the PATH. Without one, ``tests/conftest.py`` leaves
the tests marked ``browser`` out, with one closing line saying how to enable them, so the
README's test command passes on a fresh machine (a test that calls :func:`require_chromium`
without the marker skips). In CI (``CI`` set to a true value, as ``.ci/run`` runs) a missing
browser FAILS them: they must never be skipped there.
"""

from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path

import pytest

HOW_TO_ENABLE = "install Debian's chromium (apt-get install -y chromium) or set AVAILCALC_CHROMIUM"


def in_ci() -> bool:
    """Return True when running under CI (``CI`` set to anything but empty/0/false)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@functools.cache
def chromium_path() -> str | None:
    """Return the path of a chromium executable, or None when there is none."""
    env = os.environ.get("AVAILCALC_CHROMIUM")
    if env:
        return env if Path(env).exists() else None
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def require_chromium() -> str:
    """Return the chromium path; skip the test without one (fail under CI)."""
    path = chromium_path()
    if path is not None:
        return path
    where = os.environ.get("AVAILCALC_CHROMIUM") or "/usr/bin/chromium or on the PATH"
    message = f"no chromium found ({where}): {HOW_TO_ENABLE} to run the browser tests"
    if in_ci():
        pytest.fail(f"CI must run the browser tests, but {message}")
    pytest.skip(message)
