"""Shared pytest configuration: hypothesis profiles."""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("thorough", deadline=None, max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_collection_modifyitems(config, items):
    """Without a browser (and outside CI) leave the browser tests out, said in one line."""
    from tests._browser import HOW_TO_ENABLE, chromium_path, in_ci

    if in_ci() or chromium_path() is not None:
        return  # they run (and fail under CI when the browser is missing)
    browser = [i for i in items if i.get_closest_marker("browser") is not None]
    if browser:
        items[:] = [i for i in items if i.get_closest_marker("browser") is None]
        config.hook.pytest_deselected(items=browser)
        config._availcalc_browser_note = (
            f"{len(browser)} browser tests not run: no chromium found; {HOW_TO_ENABLE} to run them"
        )


_FUZZ_PROPERTIES: list = []


def pytest_runtest_logreport(report):
    """Collect the fuzz suites' outcome counts (xdist sends each worker's reports here).

    The teardown report carries every property of the test, also those a fixture records
    after the test ran.
    """
    if report.when == "teardown":
        _FUZZ_PROPERTIES.extend(v for k, v in report.user_properties if k == "fuzz")


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    from tests._fuzz import summary_tables

    for table in summary_tables(_FUZZ_PROPERTIES):
        terminalreporter.write_line(table)
    note = getattr(config, "_availcalc_browser_note", None)
    if note:
        terminalreporter.write_line(note)


def pytest_report_header(config):
    from tests._browser import HOW_TO_ENABLE, chromium_path, in_ci

    if chromium_path() is not None:
        return f"browser tests: run with {chromium_path()}"
    if in_ci():
        return "browser tests: no chromium found, and CI must run them: they will fail"
    return f"browser tests: not run (no chromium found); {HOW_TO_ENABLE} to run them"
