"""Fuzz of the scenario loader: every input gives a valid scenario or one readable ScenarioError.

The contract (``availcalc/model/io.py``, ``availcalc/model/schema.py``): a malformed document, a
document over 256 KiB or nested too deeply, and an invalid scenario raise
:class:`~availcalc.ScenarioError` (a ``ValueError``) whose message is one short line starting
with the dotted field path (or, for the document as a whole, with "not valid JSON/TOML" or
"not read"). Anything else (another exception, a call over 2 s) is an "other" outcome and fails.
Every valid scenario must survive save → load in JSON and TOML unchanged.

Each call is classified into ``OUTCOMES`` (area, outcome) → calls; ``outcome_table()`` prints
the table. Run ``python -m tests.model.test_fuzz_scenario`` to see it for a serial run.
"""

from __future__ import annotations

import collections
import dataclasses
import decimal
import fractions
import json
import math
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from availcalc import (
    Scenario,
    ScenarioError,
    load_preset,
    load_scenario,
    presets,
    save_scenario,
    scenario_from_json,
    scenario_to_json,
)
from availcalc.model.schema import section_classes
from tests import _fuzz

TIME_LIMIT_S = 2.0
PARTS = ("name", "description", "workload", "send_host", "send_port", "messagebox", "destination")
DOCUMENT_ERRORS = ("not valid JSON", "not valid TOML", "not read", "a scenario must be a mapping")
FUZZ = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

OUTCOMES: collections.Counter[tuple[str, str]] = collections.Counter()


def outcome_table() -> str:
    """Return the calls per area and outcome recorded in this process, as aligned text."""
    return _fuzz.outcome_table(OUTCOMES, ("valid", "clean error", "other"))


record_outcomes = _fuzz.recorder("scenario loader", ("valid", "clean error", "other"), OUTCOMES)


def _check_message(exc: ScenarioError) -> None:
    text = str(exc)
    assert "\n" not in text and text.isprintable() and len(text) <= 600, text[:2000]
    if exc.path:
        head = exc.path.split(".")[0]
        assert head in PARTS or exc.reason.startswith("unknown field"), text
        assert text.endswith(f": {exc.reason}"), text
    else:
        assert text.startswith(DOCUMENT_ERRORS) or text.startswith("unknown field"), text


def outcome(area: str, call, folder: Path | None = None) -> Scenario | None:
    """Run one call; record and check its outcome; round-trip a valid result through files."""
    start = time.perf_counter()
    try:
        result = call()
    except ScenarioError as exc:
        elapsed = time.perf_counter() - start
        OUTCOMES[area, "clean error"] += 1
        _check_message(exc)
        result = None
    except Exception as exc:  # the contract allows nothing else
        OUTCOMES[area, "other"] += 1
        raise AssertionError(f"{area}: {type(exc).__name__}: {str(exc)[:300]}") from exc
    else:
        elapsed = time.perf_counter() - start
        assert isinstance(result, Scenario), (area, type(result))
        OUTCOMES[area, "valid"] += 1
    assert elapsed < TIME_LIMIT_S, f"{area}: {elapsed:.2f} s"
    if result is not None and folder is not None:
        round_trip(result, folder)
    return result


def fresh(path: Path) -> Path:
    """Return ``path`` with no file there (overwriting a file in place is slow on ext4)."""
    path.unlink(missing_ok=True)
    return path


def write(path: Path, data: str | bytes) -> Path:
    fresh(path).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def round_trip(scenario: Scenario, folder: Path) -> None:
    """Save → load in JSON and TOML (and JSON text) must give back an equal scenario."""
    for suffix in (".json", ".toml"):
        path = save_scenario(scenario, fresh(folder / f"round_trip{suffix}"))
        back = outcome(f"round trip {suffix[1:]}", lambda path=path: load_scenario(path))
        assert back == scenario, (suffix, scenario, back)
    assert scenario_from_json(scenario_to_json(scenario)) == scenario


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz_scenario")


def _drop_none(d):
    if isinstance(d, dict):
        return {k: _drop_none(v) for k, v in d.items() if v is not None}
    if isinstance(d, list):
        return [_drop_none(v) for v in d if v is not None]
    return d


def all_channels(data, folder: Path, tag: str = "") -> None:
    """Load plain data as a dict, as JSON text and as JSON and TOML files."""
    outcome(f"from_dict{tag}", lambda: Scenario.from_dict(data), folder)
    try:
        text = json.dumps(data)
    except (TypeError, ValueError):  # not JSON (a non-text key, a cycle): dict channel only
        return
    outcome(f"scenario_from_json{tag}", lambda: scenario_from_json(text))
    path = write(folder / "doc.json", text)
    outcome(f"load_scenario json{tag}", lambda: load_scenario(path))
    try:  # TOML has no null; its documents are tables
        toml = tomli_w.dumps(_drop_none(data)) if isinstance(data, dict) else None
    except (TypeError, ValueError):
        toml = None
    if toml is not None:
        path = write(
            folder / "doc.toml", toml.encode("utf-8", "surrogatepass")
        )  # surrogate: bad UTF-8
        outcome(f"load_scenario toml{tag}", lambda: load_scenario(path))


# -- values ----------------------------------------------------------------------------------------
WRONG = [
    "text",
    "",
    "\ud800",  # a lone surrogate: JSON can hold it ("\\ud800"), no file encoding can
    [],
    [1.0],
    {},
    {"x": 1},
    None,
    True,
    False,
    10**400,
    -(10**400),
    2**63,
    math.nan,
    math.inf,
    -math.inf,
    -1,
    -1e-300,
    0,
    0.0,
    5e-324,
    1e308,
    1.5,
    "1",
]
PYTHON_ONLY = [
    np.int64(3),
    np.float32(0.5),
    np.float64(2.0),
    np.bool_(True),
    np.array(2.0),
    np.array([1.0, 2.0]),
    pd.Series([1.0]),
    pd.NA,
    decimal.Decimal("1.5"),
    fractions.Fraction(1, 3),
    fractions.Fraction(10**400, 1),
    1 + 0j,
    b"bytes",
    (1,),
    {1},
    object(),
    10**5000,
]

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(10**300, 10**400)
    | st.floats()
    | st.text(max_size=12)
    | st.sampled_from(WRONG[:3])
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=16,
)


def _known_names() -> list[str]:
    names = set(PARTS) | {"kind", "arrival_cv", "service_cv", "endpoint", "nlb_pool"}
    for classes in section_classes().values():
        for cls in classes:
            names |= {f.name for f in dataclasses.fields(cls)}
    return sorted(names)


KNOWN = _known_names()
keys = st.sampled_from(KNOWN) | st.text(max_size=10)


def _full(name: str) -> dict:
    """A preset's dict with every optional section present (so every field can be mutated)."""
    data = load_preset(name).to_dict()
    if data["messagebox"] is None:
        data["messagebox"] = {"capacity_per_s": 600.0, "storage_mttf_h": 50_000.0}
    if data["destination"] is None:
        data["destination"] = {"kind": "endpoint", "availability": 0.999, "capacity_per_s": 50.0}
    return data


def _paths(data: dict) -> list[tuple[str, ...]]:
    out = [(k,) for k in data]
    out += [(k, f) for k, v in data.items() if isinstance(v, dict) for f in v]
    return out


def _mutate(data: dict, path: tuple[str, ...], op: str, value=None) -> dict:
    data = {k: dict(v) if isinstance(v, dict) else v for k, v in data.items()}
    parent = data if len(path) == 1 else data[path[0]]
    key = path[-1]
    if not isinstance(parent, dict) or key not in parent:
        return data
    if op == "delete":
        del parent[key]
    elif op == "rename":  # an unknown key: a typo, or a key with no meaning at all
        parent[key[:-1] if len(key) > 3 else key + "_x"] = parent.pop(key)
    else:
        parent[key] = value
    return data


# -- exhaustive: every preset, every key, every mutation ------------------------------------------
@pytest.mark.parametrize("name", presets())
def test_every_mutation_of_every_preset(name, folder):
    base = _full(name)
    for path in _paths(base):
        for op in ("delete", "rename"):
            all_channels(_mutate(base, path, op), folder)
        for value in WRONG:
            all_channels(_mutate(base, path, "replace", value), folder)


@pytest.mark.parametrize("name", presets())
def test_python_values_in_every_field(name, folder):
    base = _full(name)
    for path in _paths(base):
        for value in PYTHON_ONLY:
            data = _mutate(base, path, "replace", value)
            outcome("from_dict", lambda data=data: Scenario.from_dict(data), folder)
            outcome("Scenario(...)", lambda data=data: Scenario(**data), folder)


# -- random documents and mutations ---------------------------------------------------------------
@FUZZ
@given(
    st.dictionaries(keys, json_values | st.dictionaries(keys, json_values, max_size=6), max_size=7)
)
def test_random_json_documents(folder, data):
    all_channels(data, folder)


@FUZZ
@given(json_values)
def test_random_json_values_of_any_shape(folder, data):
    all_channels(data, folder)


@FUZZ
@given(
    st.sampled_from(presets()),
    st.lists(
        st.tuples(
            st.sampled_from([(p,) for p in PARTS] + [(s, f) for s in PARTS for f in KNOWN]),
            st.sampled_from(["delete", "rename", "replace"]),
            json_values | st.sampled_from(WRONG),
        ),
        min_size=1,
        max_size=4,
    ),
)
def test_mutated_presets(folder, name, mutations):
    data = _full(name)
    for path, op, value in mutations:
        if len(path) == 2 and not isinstance(data.get(path[0]), dict):
            continue
        if op == "replace" and len(path) == 2 and path[1] not in data[path[0]]:
            data = {**data, path[0]: {**data[path[0]], path[1]: value}}  # a key of another kind
        else:
            data = _mutate(data, path, op, value)
    all_channels(data, folder)


@FUZZ
@given(
    st.sampled_from(presets()),
    st.sampled_from([".json", ".toml"]),
    st.sampled_from(["truncate", "cut", "insert", "replace", "bom", "garbage"]),
    st.integers(0, 10**6),
    st.binary(min_size=1, max_size=12),
)
def test_mutated_file_bytes(folder, name, suffix, op, where, junk):
    scenario = load_preset(name)
    raw = save_scenario(scenario, fresh(folder / f"clean{suffix}")).read_bytes()
    i = where % (len(raw) + 1)
    raw = {
        "truncate": raw[:i],
        "cut": raw[:i] + raw[i + len(junk) :],
        "insert": raw[:i] + junk + raw[i:],
        "replace": raw[:i] + junk + raw[i + len(junk) :],
        "bom": b"\xef\xbb\xbf" + raw,
        "garbage": junk,
    }[op]
    path = write(folder / f"mutated{suffix}", raw)
    outcome(f"load_scenario {suffix[1:]} (bytes)", lambda: load_scenario(path), folder)
    if suffix == ".json":
        outcome("scenario_from_json (bytes)", lambda: scenario_from_json(raw))


@FUZZ
@given(st.sampled_from(PARTS), st.sampled_from(KNOWN), st.sampled_from(PYTHON_ONLY + WRONG))
def test_scenario_from_python_values(folder, part, field, value):
    outcome("Scenario(...)", lambda: Scenario(**{part: value}), folder)
    outcome("Scenario(...)", lambda: Scenario(**{part: {field: value}}), folder)
    outcome("from_dict", lambda: Scenario.from_dict({part: {field: value}}), folder)


def _in_range(spec, hint):
    lo = -1e308 if spec.low is None else spec.low
    hi = 1e308 if spec.high is None else spec.high
    if hint is int:
        return st.integers(int(lo), min(int(hi), 10**6))
    edges = [v for v in (lo, hi, 5e-324, 1e-300, 1e300, -0.0) if lo <= v <= hi]
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False) | st.sampled_from(edges)


def _valid_section(cls):
    hints = {f.name: f.type for f in dataclasses.fields(cls)}
    fields = {}
    for f in dataclasses.fields(cls):
        spec, hint = f.metadata["spec"], hints[f.name]
        if spec.choices:
            fields[f.name] = st.sampled_from(spec.choices)
        elif "bool" in hint:
            fields[f.name] = st.booleans()
        else:
            base = _in_range(spec, int if hint.startswith("int") else float)
            fields[f.name] = st.none() | base if "None" in hint else base
    return st.fixed_dictionaries({}, optional=fields)


def _valid_destination():
    return st.none() | st.one_of(
        *(
            _valid_section(cls).map(lambda d, k=cls.kind: {"kind": k, **d})
            for cls in section_classes()["destination"]
        )
    )


valid_data = st.fixed_dictionaries(
    {},
    optional={
        "name": st.text(),
        "description": st.text(),
        **{k: _valid_section(v[0]) for k, v in section_classes().items() if k != "destination"},
        "messagebox": st.none() | _valid_section(section_classes()["messagebox"][0]),
        "destination": _valid_destination(),
    },
)


@FUZZ
@given(valid_data)
def test_valid_scenarios_round_trip(folder, data):
    # cross-field rules (clustered instances, repair crews <= instances, needed <= nodes) may
    # still refuse some: then the error must be clean
    outcome("valid ranges", lambda: Scenario.from_dict(data), folder)


@pytest.mark.parametrize(
    "data",
    [
        {"name": "x" * 1_001},
        {"description": "\U0001f600" * 10_001},
        {"name": "\x01" * 1_000, "description": "\U0001f600" * 10_000},  # longest (valid)
    ],
    ids=["name", "description", "longest"],
)
def test_text_length_limits(folder, data):
    all_channels(data, folder)


# -- deep nesting and a 50 MB file ----------------------------------------------------------------
DEPTH = 10_000


@pytest.mark.parametrize(
    "text",
    [
        "[" * DEPTH + "]" * DEPTH,
        '{"a":' * DEPTH + "1" + "}" * DEPTH,
        '{"workload": {"arrival_rate_per_s": ' + "[" * DEPTH + "]" * DEPTH + "}}",
        '{"name": ' + '{"a":' * DEPTH + "1" + "}" * (DEPTH + 1),
        '{"workload": ' + "[" * (10 * DEPTH) + "]" * (10 * DEPTH) + "}",
    ],
    ids=["list", "dict", "field", "name", "100k"],
)
def test_deep_json_nesting(folder, text):
    outcome("deep nesting", lambda: scenario_from_json(text))
    path = write(folder / "deep.json", text)
    outcome("deep nesting", lambda: load_scenario(path))


@pytest.mark.parametrize(
    "text",
    [
        "name = " + "[" * DEPTH + "]" * DEPTH,
        "name = " + "{a = " * DEPTH + "1" + "}" * DEPTH,
        "[workload]\narrival_rate_per_s = " + "[" * DEPTH + "]" * DEPTH,
        "." * DEPTH,
        "a" + ".a" * DEPTH + " = 1",
        "[a" + ".a" * (10 * DEPTH) + "]",
        "x = {a" + ".a" * (10 * DEPTH) + " = 1}",
        "[[workload" + '."a"' * DEPTH + "]]",
        "a" + ".a" * 15 + " = 1",  # 16 parts: read (and refused as a scenario)
    ],
    ids=["array", "inline", "field", "dots", "dotted-key", "header", "inline-key", "aot", "16"],
)
def test_deep_toml_nesting(folder, text):
    path = write(folder / "deep.toml", text)
    outcome("deep nesting", lambda: load_scenario(path))


def test_deep_python_values():
    deep_list: list = []
    deep_dict: dict = {}
    inner_l, inner_d = deep_list, deep_dict
    for _ in range(DEPTH * 10):
        inner_l.append([])
        inner_l = inner_l[0]
        inner_d["a"] = {}
        inner_d = inner_d["a"]
    for value in (deep_list, deep_dict):
        outcome("deep nesting", lambda v=value: Scenario.from_dict({"name": v}))
        outcome("deep nesting", lambda v=value: Scenario.from_dict({"workload": v}))
        outcome("deep nesting", lambda v=value: Scenario(send_host={"instances": v}))
        outcome("deep nesting", lambda v=value: Scenario.from_dict({"send_host": {"x": v}}))


@pytest.fixture(scope="module")
def big_files(folder):
    """50 MB scenario files: well-formed JSON and TOML (with a huge description)."""
    size = 50 * 2**20
    files = {
        "big.json": json.dumps({"name": "big", "description": "x" * size}),
        "big.toml": f'name = "big"\ndescription = "{"x" * size}"\n',
    }
    for name, text in files.items():
        (folder / name).write_text(text)
    return {name: folder / name for name in files}


@pytest.mark.parametrize("name", ["big.json", "big.toml"])
def test_50_mb_files_are_refused_at_once_with_the_limit(big_files, name):
    path = big_files[name]
    outcome("50 MB file", lambda: load_scenario(path))
    with pytest.raises(ScenarioError, match=r"larger than 262,144 bytes \(256 KiB\)"):
        load_scenario(path)
    if name.endswith(".json"):
        text = path.read_text()
        outcome("50 MB file", lambda: scenario_from_json(text))
        with pytest.raises(ScenarioError, match=r"larger than 262,144 bytes \(256 KiB\)"):
            scenario_from_json(text)


@pytest.mark.parametrize(
    "text",
    [
        # the longest valid texts, in characters JSON and TOML write as 6 bytes ('\\u0001')
        json.dumps({"name": "\x01" * 1_000, "description": "\x01" * 10_000}),
        '{"workload": {"arrival_rate_per_s": [' + "1," * (2**17 - 30) + "1]}}",
        "x = [" + "1," * (2**17 - 10) + "1]",
        "".join(f"k{i} = {i}\n" for i in range(2**18 // 14)),
        "x = [1," + " " * (2**18 - 20) + "]",  # spaces where a key may start
        "x = [1,[" + "\t" * (2**18 - 20) + "]]",
    ],
    ids=["json-longest-texts", "json-list", "toml-list", "toml-keys", "spaces", "tabs"],
)
def test_files_just_under_the_limit_are_read_in_time(folder, text):
    assert len(text) <= 2**18
    suffix = ".json" if text.startswith("{") else ".toml"
    path = write(folder / f"under{suffix}", text)
    outcome("256 KiB file", lambda: load_scenario(path), folder)


def test_outcome_table_has_no_other():
    # each call already fails on its own; this checks the table a serial run builds
    assert not [k for k in OUTCOMES if k[1] == "other"], outcome_table()


if __name__ == "__main__":  # pragma: no cover
    code = pytest.main([__file__, "-q", "-p", "no:xdist", "-p", "no:cacheprovider"])
    print(sys.modules["tests.model.test_fuzz_scenario"].outcome_table())
    raise SystemExit(code)
