"""Reading and writing scenario files (JSON and TOML), losslessly.

JSON keeps empty optional values as ``null``. TOML has no null: empty values are left out,
which is lossless because every field that may be empty has ``None`` as its default.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import tomli_w

from availcalc.model.schema import Scenario, ScenarioError

__all__ = ["load_scenario", "save_scenario", "scenario_from_json", "scenario_to_json"]

_FORMATS = {".json": "json", ".toml": "toml"}


def _format(path: Path, fmt: str | None) -> str:
    if fmt is not None:
        if fmt not in ("json", "toml"):
            raise ValueError(f"fmt must be 'json' or 'toml'; got {fmt!r}")
        return fmt
    try:
        return _FORMATS[path.suffix.lower()]
    except KeyError:
        raise ValueError(
            f"path must end in .json or .toml (or pass fmt=); got {str(path)!r}"
        ) from None


def scenario_to_json(scenario: Scenario) -> str:
    """Return the scenario as an indented JSON document."""
    return json.dumps(scenario.to_dict(), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def scenario_from_json(text: str | bytes) -> Scenario:
    """Parse and validate a JSON scenario document.

    Raises
    ------
    ScenarioError
        For malformed JSON (with line and column) or an invalid scenario.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ScenarioError(
            "", f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except UnicodeDecodeError:
        raise ScenarioError("", "not valid JSON: the file is not UTF-8 text") from None
    return Scenario.from_dict(data)


def _drop_none(d: Any) -> Any:
    if isinstance(d, dict):
        return {k: _drop_none(v) for k, v in d.items() if v is not None}
    return d


def save_scenario(scenario: Scenario, path: str | Path, fmt: str | None = None) -> Path:
    """Write a scenario to ``path`` as JSON or TOML (chosen by the suffix, or ``fmt``).

    Returns
    -------
    Path
        The path written.
    """
    path = Path(path)
    kind = _format(path, fmt)
    if kind == "json":
        path.write_text(scenario_to_json(scenario), encoding="utf-8")
    else:
        path.write_text(tomli_w.dumps(_drop_none(scenario.to_dict())), encoding="utf-8")
    return path


def load_scenario(path: str | Path, fmt: str | None = None) -> Scenario:
    """Read and validate a scenario file (JSON or TOML).

    Raises
    ------
    ScenarioError
        (a ValueError) for a malformed file or an invalid scenario, naming the field path.
    FileNotFoundError
        If the file does not exist.
    """
    path = Path(path)
    kind = _format(path, fmt)
    raw = path.read_bytes()
    if kind == "json":
        return scenario_from_json(raw)
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ScenarioError("", f"not valid TOML: {exc}") from None
    return Scenario.from_dict(data)
