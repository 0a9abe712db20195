"""Reading and writing scenario files (JSON and TOML), losslessly.

JSON keeps empty optional values as ``null``. TOML has no null: empty values are left out,
which is lossless because every field that may be empty has ``None`` as its default.

Files are UTF-8, with or without a byte-order mark, and at most 256 KiB (a scenario takes a
few kB, and the longest valid one under 100 kB): anything else is refused with a
:class:`~availcalc.ScenarioError` at once, as is a document nested too deeply to parse or a
TOML key of more than 16 dotted parts (a scenario's have at most three; Python's TOML parser
takes time quadratic in them: 10 000 parts, 1 s).
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import tomli_w

from availcalc.model.schema import Scenario, ScenarioError

__all__ = [
    "load_scenario",
    "save_scenario",
    "scenario_from_bytes",
    "scenario_from_json",
    "scenario_to_json",
]

_FORMATS = {".json": "json", ".toml": "toml"}
MAX_DOCUMENT_BYTES = 2**18  # the largest scenario document read (256 KiB)
_TOO_LARGE = (
    f"larger than {MAX_DOCUMENT_BYTES:,} bytes (256 KiB), the limit for a scenario document"
)
_KEY_PART = r"""(?:[\w-]+|"[^"\n]*"|'[^'\n]*')"""
# a key (or table header) of more than 16 dotted parts, where a key may start in a line
_LONG_KEY = re.compile(
    rf"(?:^|[{{,])[ \t]*(?:\[{{1,2}}[ \t]*)?{_KEY_PART}(?:[ \t]*\.[ \t]*{_KEY_PART}){{16}}"
)


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


def _json_int(text: str) -> int | float:
    # an integer of more than 4300 digits, which int() refuses, is beyond any double: read it as
    # one (inf), so that the field's check names the field
    try:
        return int(text)
    except ValueError:
        return float(text)


def _parse_json(text: str | bytes) -> Any:
    """Return the plain data of a JSON document (:func:`scenario_from_json` without the checks).

    Raises
    ------
    ScenarioError
        For malformed JSON (with line and column), text over 256 KiB or nested too deeply.
    """
    if not isinstance(text, str | bytes | bytearray):
        raise TypeError(f"a JSON document must be str or bytes; got {type(text).__name__}")
    if len(text) > MAX_DOCUMENT_BYTES:
        raise ScenarioError("", f"not read: the document is {_TOO_LARGE}")
    if isinstance(text, str):
        text = text.removeprefix("\ufeff")  # a byte-order mark (json reads bytes with one)
    try:
        return json.loads(text, parse_int=_json_int)
    except json.JSONDecodeError as exc:
        raise ScenarioError(
            "", f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except UnicodeDecodeError:
        raise ScenarioError("", "not valid JSON: the file is not UTF-8 text") from None
    except RecursionError:
        raise ScenarioError("", "not valid JSON: nested too deeply to parse") from None


def scenario_from_json(text: str | bytes) -> Scenario:
    """Parse and validate a JSON scenario document.

    Raises
    ------
    ScenarioError
        For malformed JSON (with line and column), a document over 256 KiB or nested too
        deeply to parse, or an invalid scenario.
    """
    return Scenario.from_dict(_parse_json(text))


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
        (a ValueError) for a malformed file, a file over 256 KiB or an invalid scenario,
        naming the field path.
    OSError
        If the file cannot be read: FileNotFoundError if it does not exist,
        IsADirectoryError for a folder.
    """
    path = Path(path)
    kind = _format(path, fmt)
    with path.open("rb") as f:
        # never more: the file may be huge, or endless (a pipe)
        raw = f.read(MAX_DOCUMENT_BYTES + 1)
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise ScenarioError("", f"not read: {str(path)!r} is {_TOO_LARGE}")
    return scenario_from_bytes(raw, kind)


def scenario_from_bytes(raw: bytes, fmt: str) -> Scenario:
    r"""Parse and validate a scenario document's bytes (an upload, a file's contents).

    The same limits and messages as :func:`load_scenario`: UTF-8 with or without a
    byte-order mark, at most 256 KiB, keys of at most 16 dotted parts.

    Parameters
    ----------
    raw : bytes
        The document.
    fmt : {"json", "toml"}
        Its format.

    Raises
    ------
    ScenarioError
        For a malformed or too large document, or an invalid scenario, naming the field path.

    Examples
    --------
    >>> scenario_from_bytes(b"[send_host]\ninstances = 3", "toml").send_host.instances
    3
    """
    if fmt not in ("json", "toml"):
        raise ValueError(f"fmt must be 'json' or 'toml'; got {fmt!r}")
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise ScenarioError("", f"not read: the document is {_TOO_LARGE}")
    return Scenario.from_dict(_parse_json(raw) if fmt == "json" else _parse_toml(raw))


def _parse_toml(raw: bytes) -> Any:
    """Return the plain data of a TOML document of at most 256 KiB.

    Raises
    ------
    ScenarioError
        For malformed TOML, a key of over 16 dotted parts or nesting too deep to parse.
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ScenarioError("", "not valid TOML: the file is not UTF-8 text") from None
    lines = text.split("\n")
    line = next(
        (i for i, s in enumerate(lines, 1) if s.count(".") > 16 and _LONG_KEY.search(s)), None
    )
    if line is not None:
        raise ScenarioError(
            "",
            f"not read: a key of more than 16 dotted parts (line {line}); scenario keys have 1-3",
        )
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise ScenarioError("", "not valid TOML: nested too deeply to parse") from None
    except ValueError as exc:  # TOMLDecodeError, or an integer of over 4300 digits
        raise ScenarioError("", f"not valid TOML: {exc}") from None
