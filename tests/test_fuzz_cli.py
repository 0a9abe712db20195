"""Fuzz of the command line: bad input exits 2 with one ``error:`` line, never a traceback.

The contract (``availcalc/cli.py``, README): ``main(argv)`` returns 0 with the result on stdout,
or 2 with exactly one line on stderr starting with ``error:`` and nothing on stdout (argparse's
own errors too: ``_Parser.error`` turns them into that line). ``--help`` prints the help and
exits 0 as argparse does. Anything else (another exit code, an exception, a second stderr line,
a call over 2 s) is an "other" outcome and fails.

Each call is classified into ``OUTCOMES`` (area, outcome) → calls; ``outcome_table()`` prints
the table. Run ``python -m tests.test_fuzz_cli`` to see it for a serial run.
"""

from __future__ import annotations

import collections
import sys
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from availcalc import load_preset, presets, save_scenario
from availcalc.cli import main
from tests import _fuzz
from tests.model.test_fuzz_scenario import KNOWN, fresh, write

TIME_LIMIT_S = 2.0
FUZZ = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
PRESET = "http_scaled_out_2node"

OUTCOMES: collections.Counter[tuple[str, str]] = collections.Counter()


def outcome_table() -> str:
    """Return the calls per area and outcome recorded in this process, as aligned text."""
    return _fuzz.outcome_table(OUTCOMES, ("exit 0", "exit 2", "other"))


record_outcomes = _fuzz.recorder("command line", ("exit 0", "exit 2", "other"), OUTCOMES)


def run(area: str, capsys, argv: list[str]) -> tuple[int, str]:
    """Run ``main(argv)``; record and check its outcome; return the exit code and stderr."""
    start = time.perf_counter()
    try:
        code = main(argv)
    except SystemExit as exc:  # --help: argparse prints the help and exits 0
        code = exc.code
        help_ = code == 0 and "usage:" in capsys.readouterr().out
        OUTCOMES[area, "exit 0" if help_ else "other"] += 1
        assert help_, (argv, code)
        return 0, ""
    except Exception as exc:  # the contract allows no exception out of main
        OUTCOMES[area, "other"] += 1
        raise AssertionError(f"{argv!r}: {type(exc).__name__}: {str(exc)[:300]}") from exc
    elapsed = time.perf_counter() - start
    out, err = capsys.readouterr()
    ok = (code == 0 and "Traceback" not in err) or (
        code == 2
        and out == ""
        and err.startswith("error: ")
        and err.endswith("\n")
        and err[:-1].isprintable()
        and len(err) <= 1_000
    )
    OUTCOMES[area, f"exit {code}" if ok else "other"] += 1
    assert ok, (argv, code, out[:300], err[:1000])
    assert elapsed < TIME_LIMIT_S, f"{argv!r}: {elapsed:.2f} s"
    return code, err


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, str]:
    """Scenario files: valid, garbage, empty, wrong suffix, a folder named .json, missing."""
    d = tmp_path_factory.mktemp("fuzz_cli")
    (d / "folder.json").mkdir()
    paths = {
        "valid.toml": save_scenario(load_preset(PRESET), fresh(d / "valid.toml")),
        "valid.json": save_scenario(load_preset(PRESET), fresh(d / "valid.json")),
        "garbage.json": write(d / "garbage.json", b"\xff\xfe{not json"),
        "garbage.toml": write(d / "garbage.toml", "[workload\narrival_rate_per_s = "),
        "empty.json": write(d / "empty.json", ""),
        "list.json": write(d / "list.json", "[1, 2]"),
        "deep.json": write(d / "deep.json", "[" * 10_000 + "]" * 10_000),
        "unknown.toml": write(d / "unknown.toml", "[workload]\narival_rate_per_s = 5\n"),
        "big.json": write(d / "big.json", b" " * (2**18 + 1)),
        "folder.json": d / "folder.json",
        "missing.json": d / "missing.json",
        "scenario.yaml": write(d / "scenario.yaml", "name: x"),
    }
    return {k: str(v) for k, v in paths.items()}


# -- values ----------------------------------------------------------------------------------------
NUMBERS = ["nan", "NaN", "inf", "-inf", "Infinity", "-1", "0", "1e309", "1e-320", "9" * 400]
NUMBERS += ["9" * 5000, "", "x", "1.5", "0x10", "1_000", " 3", "true", "null", "[1]", "{}"]
FIELD_PATHS = [
    "workload.arrival_rate_per_s",
    "workload.latency_percentile",
    "workload.arrival_cv",
    "send_host.instances",
    "send_host.handler",
    "send_host.service_cv",
    "send_host.service_scv",
    "send_host.repair_crews",
    "send_port.retry_count",
    "send_port.ordered_delivery",
    "messagebox.capacity_per_s",
    "destination.kind",
    "destination.availability",
    "name",
    "description",
    "workload",
    "messagebox",
    "destination",
]
BAD_PATHS = ["", ".", "..", "workload.", ".x", "a.b.c", "workload.nope", "sendhost.instances"]
BAD_PATHS += [
    "send_host.instancs",
    "name.x",
    "name.c",
    "description.",
    "messagebox.mttf_h",
    "=",
    " ",
]
DEEP = "[" * 10_000 + "]" * 10_000

values = st.sampled_from([*NUMBERS, DEEP, '"text"', "clustered", "{'a': 1}", "[[[]]]"]) | st.text(
    max_size=12
)
paths = st.sampled_from(FIELD_PATHS + BAD_PATHS) | st.builds(
    "{}.{}".format, st.sampled_from(FIELD_PATHS[:13]), st.sampled_from(KNOWN)
)
set_args = st.builds("{}={}".format, paths, values) | st.sampled_from(["x", "=", "a=b=c", ""])


# -- bad --set: always exit 2 with one line ------------------------------------------------------
# values no field of PRESET admits (null, "", 0, true, 1e-320 are valid for some)
ALWAYS_BAD = ["nan", "NaN", "inf", "-inf", "Infinity", "1e309", "-1", "9" * 400, "9" * 5000]
ALWAYS_BAD += ["x", "[1]", "{}", "[[[]]]", DEEP]


@FUZZ
@given(
    st.sampled_from(FIELD_PATHS[:13] + BAD_PATHS),
    st.sampled_from(ALWAYS_BAD + NUMBERS),
    st.sampled_from(["evaluate", "size", "compare"]),
)
def test_bad_set_is_one_error_line(capsys, path, value, command):
    if path not in BAD_PATHS and value not in ALWAYS_BAD:
        return  # may be valid: the random command lines below cover it
    assert run("--set (bad)", capsys, [command, PRESET, "--set", f"{path}={value}"])[0] == 2, (
        path,
        value,
    )


@pytest.mark.parametrize(
    "pair",
    ["x", "=3", "=", "send_host.instances", "send_host.instances==3", "a.b.c=1", ".=1"],
)
def test_malformed_set_is_one_error_line(capsys, pair):
    assert run("--set (malformed)", capsys, ["evaluate", PRESET, "--set", pair])[0] == 2


# -- bad numbers for options ----------------------------------------------------------------------
OPTIONS = {
    ("size", "--instances-down"): ["-1", "x", "", "1.5", "nan", "9" * 400, "100000"],
    ("size", "--availability-target"): ["0", "1", "-0.1", "1.5", "nan", "inf", "x", ""],
    ("size", "--sla-target"): ["0", "1", "2", "nan", "-inf", "x"],
    ("validate", "--replications"): ["0", "1", "-5", "x", "2.5", "", "9" * 400],
    ("validate", "--years"): ["0", "-1", "nan", "inf", "x", ""],
    ("validate", "--messages"): ["0", "99", "x", "-1"],
    ("validate", "--confidence"): ["0", "1", "nan", "1.5", "x"],
    ("validate", "--jobs"): ["0", "-2", "x"],
    ("validate", "--seed"): ["x", "1.5"],
    ("plot", "--width"): ["-5", "0", "x"],
    ("plot", "--height"): ["-1", "0", "1.5"],
    ("plot", "--scale"): ["0", "-1", "nan", "x"],
}


# found by this suite, outside the CLI: strict xfail, so a fix shows up here. Empty since the
# simulations bound their replications (issue 14).
KNOWN_ISSUES: dict[tuple[str, str, str], str] = {}


@pytest.mark.parametrize(
    ("command", "option", "value"),
    [
        pytest.param(
            *key,
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN_ISSUES[key])]
            if key in KNOWN_ISSUES
            else [],
        )
        for key in ((k[0], k[1], v) for k, vals in OPTIONS.items() for v in vals)
    ],
)
def test_bad_option_values_are_one_error_line(capsys, tmp_path, command, option, value):
    argv = [command, PRESET, option, value]
    if command == "plot":
        argv[2:2] = ["states", "-o", str(tmp_path / "f.html")]
    known = " (known issue)" if (command, option, value) in KNOWN_ISSUES else ""
    assert run(f"{command} {option}{known}", capsys, argv)[0] == 2


# -- scenarios that cannot be read -----------------------------------------------------------------
@pytest.mark.parametrize(
    "name",
    [
        *("garbage.json", "garbage.toml", "empty.json", "list.json", "deep.json"),
        *("unknown.toml", "big.json", "folder.json", "missing.json", "scenario.yaml"),
    ],
)
@pytest.mark.parametrize("command", ["evaluate", "compare", "size", "validate", "plot"])
def test_unreadable_scenarios_are_one_error_line(capsys, files, name, command):
    argv = [command, files[name]] + (["states", "-o", "x.html"] if command == "plot" else [])
    assert run("scenario file", capsys, argv)[0] == 2


@FUZZ
@given(st.text(max_size=30))
def test_bad_preset_names_are_one_error_line(capsys, name):
    if name in presets() or name.startswith("-"):
        return
    assert run("preset name", capsys, ["evaluate", name])[0] == 2


# -- random command lines -------------------------------------------------------------------------
commands = st.sampled_from(["evaluate", "compare", "size", "presets", "plot", "validate"])
refs = st.sampled_from([PRESET, "msmq_clustered_active_passive", "nope", "", "valid.toml"])
options = st.lists(
    st.one_of(
        st.tuples(st.just("--set"), set_args),
        st.sampled_from([("--json",), ("--csv",), ("--set",), ("-o",), ("--help",), ("-h",)]),
        st.tuples(
            st.sampled_from(["--instances-down", "--availability-target", "--sla-target"]),
            st.sampled_from(["1", "0.999", *NUMBERS]),
        ),
        st.tuples(st.sampled_from(["--bogus", "-x", "--", "-"]), st.sampled_from(["1", "x"])),
        st.tuples(st.text(max_size=8)),
    ),
    max_size=4,
)


@FUZZ
@given(st.one_of(commands, st.text(max_size=10)), st.lists(refs, max_size=2), options)
def test_random_command_lines(capsys, files, command, scenario_refs, opts):
    argv = [command, *(files.get(r, r) for r in scenario_refs)]
    for opt in opts:
        argv += list(opt)
    if command == "validate" and "--help" not in argv and "-h" not in argv:
        argv += ["--replications", "1"]  # never simulate here: an error, or argparse's first
    if command == "plot":
        argv += ["states", "-o", "/nonexistent/f.html"]  # never write a figure
    run("random argv", capsys, argv)


# -- a few valid commands still work --------------------------------------------------------------
@pytest.mark.parametrize(
    "argv",
    [
        ["presets"],
        ["presets", "--json"],
        ["evaluate", PRESET, "--json"],
        ["evaluate", "valid.toml", "--set", "send_host.instances=4"],
        ["evaluate", "valid.json", "--set", "send_host.service_cv=1.5", "--csv"],
        ["evaluate", PRESET, "--set", 'name="a\\nb"', "--set", "messagebox={}"],
        ["evaluate", PRESET, "--set", "send_host.instances=1e3"],
        ["compare", PRESET, "msmq_nonclustered_3x"],
        ["size", PRESET, "--instances-down", "1", "--availability-target", "0.999"],
        ["--help"],
        ["evaluate", "--help"],
    ],
)
def test_valid_commands_exit_0(capsys, files, argv):
    argv = [files.get(a, a) for a in argv]
    code, err = run("valid argv", capsys, argv)
    assert code == 0 and err == ""


def test_outcome_table_has_no_other():
    # each call already fails on its own; this checks the table a serial run builds
    other = [k for k in OUTCOMES if k[1] == "other" and not k[0].endswith("(known issue)")]
    assert not other, outcome_table()


if __name__ == "__main__":  # pragma: no cover
    code = pytest.main([__file__, "-q", "-p", "no:xdist", "-p", "no:cacheprovider"])
    print(sys.modules["tests.test_fuzz_cli"].outcome_table())
    raise SystemExit(code)
