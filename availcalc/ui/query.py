"""Shareable URLs: a scenario as query parameters, relative to a preset, and back.

A URL names a preset and lists only what differs from it, with scenario paths as parameter
names: ``?preset=ordered_send_port&send_host.instances=3&workload.arrival_rate_per_s=12``.
Optional sections are switched with ``messagebox=on|off`` and
``destination=none|endpoint|nlb_pool`` (when they differ from the preset); a section switched
on starts from the field defaults. Numbers are written in their shortest round-trip form, so a
URL reproduces the scenario exactly.

Decoding never raises: a bad parameter is dropped with a message that names it, and the rest of
the URL still applies. It also accepts the scenario's alternative inputs
(``send_host.service_cv=1.5`` for ``send_host.service_scv=2.25``), validated in their own terms;
encoding always writes the stored field, so a URL the page writes is exact.
"""

from __future__ import annotations

import difflib
import functools
import math
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from availcalc.model.presets import DEFAULT_PRESET, load_preset, presets
from availcalc.model.schema import Endpoint, MessageBox, NLBDestination, Scenario, ScenarioError
from availcalc.ui.fields import (
    InputSpec,
    alternative_input,
    alternative_inputs,
    input_spec,
    input_specs,
)

__all__ = [
    "QueryScenario",
    "decode_query",
    "encode_query",
    "format_param",
    "parse_fraction",
    "parse_param",
    "query_string",
    "query_updates",
]

PRESET = "preset"
MESSAGEBOX = "messagebox"
DESTINATION = "destination"
_DEST_DEFAULTS = {"endpoint": Endpoint, "nlb_pool": NLBDestination}
_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


@dataclass(frozen=True)
class QueryScenario:
    """The result of :func:`decode_query`.

    Attributes
    ----------
    scenario : Scenario
        The scenario the URL describes (the preset alone if nothing else applied).
    preset : str
        The preset the URL is relative to.
    errors : list of str
        One message per parameter that could not be applied (empty when all applied).
    extras : dict of str to str
        The parameters named in ``extra_keys`` (UI settings that are not scenario fields).
    """

    scenario: Scenario
    preset: str
    errors: list[str] = field(default_factory=list)
    extras: dict[str, str] = field(default_factory=dict)


def format_param(value: Any) -> str:
    """Return a field value as query-parameter text (shortest exact form).

    Examples
    --------
    >>> [format_param(v) for v in (40.0, 0.15, 3, True, None, "clustered")]
    ['40', '0.15', '3', 'true', 'none', 'clustered']
    """
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value)


def parse_param(text: str, spec: InputSpec) -> Any:
    """Parse query-parameter text for a field (inverse of :func:`format_param`).

    Raises
    ------
    ValueError
        If the text is not a value of the field's type (the range is checked later, by the
        scenario).
    """
    t = text.strip()
    if spec.optional and t.lower() in ("", "none", "null"):
        return None
    if spec.widget == "bool":
        if t.lower() in _TRUE:
            return True
        if t.lower() in _FALSE:
            return False
        raise ValueError(f"expected true or false; got {text!r}")
    if spec.widget == "choice":
        if spec.choices is not None and t not in spec.choices:
            raise ValueError(f"expected one of {', '.join(spec.choices)}; got {text!r}")
        return t
    try:
        number = float(t)
    except ValueError:
        raise ValueError(f"expected a number; got {text!r}") from None
    if spec.widget == "int":
        if not (math.isfinite(number) and number.is_integer()):
            raise ValueError(f"expected a whole number; got {text!r}")
        return int(number)
    return number


def _section_fields(data: dict[str, Any], base: dict[str, Any], section: str) -> dict[str, Any]:
    """Return the values to compare a section with: the base's if of the same kind."""
    cur, ref = data[section], base[section]
    if cur is None:
        return {}
    if ref is not None and ref.get("kind") == cur.get("kind"):
        return ref
    if section == MESSAGEBOX:
        return MessageBox().to_dict()
    return _DEST_DEFAULTS[cur["kind"]]().to_dict()


def encode_query(scenario: Scenario, preset: str) -> dict[str, str]:
    """Return the query parameters that reproduce ``scenario`` relative to ``preset``.

    Examples
    --------
    >>> from availcalc import load_preset
    >>> s = load_preset("msmq_nonclustered_3x").replace(**{"send_host.instances": 4})
    >>> encode_query(s, "msmq_nonclustered_3x")
    {'preset': 'msmq_nonclustered_3x', 'send_host.instances': '4'}
    >>> decode_query(encode_query(s, "msmq_nonclustered_3x")).scenario == s
    True
    """
    base = load_preset(preset).to_dict()
    data = scenario.to_dict()
    params: dict[str, str] = {PRESET: preset}
    for key in ("name", "description"):
        if data[key] != base[key]:
            params[key] = data[key]
    if (data[MESSAGEBOX] is None) != (base[MESSAGEBOX] is None):
        params[MESSAGEBOX] = "off" if data[MESSAGEBOX] is None else "on"
    kind = (data[DESTINATION] or {}).get("kind", "none")
    if kind != (base[DESTINATION] or {}).get("kind", "none"):
        params[DESTINATION] = kind
    for section in ("workload", "send_host", "send_port", MESSAGEBOX, DESTINATION):
        if data[section] is None:
            continue
        ref = (
            base[section]
            if section not in (MESSAGEBOX, DESTINATION)
            else _section_fields(data, base, section)
        )
        for name, value in data[section].items():
            if name == "kind":
                continue
            if ref.get(name, _MISSING) != value or type(ref.get(name)) is not type(value):
                params[f"{section}.{name}"] = format_param(value)
    return params


_MISSING = object()


def _one(value: Any) -> str:
    if isinstance(value, list | tuple):
        return str(value[-1]) if value else ""
    return str(value)


def decode_query(params: Mapping[str, Any], extra_keys: tuple[str, ...] = ()) -> QueryScenario:
    """Return the scenario described by query parameters (see :func:`encode_query`).

    Parameters
    ----------
    params : mapping
        Parameter name → text (or a list of texts; the last one wins).
    extra_keys : tuple of str
        Parameter names that are not scenario fields but UI settings; returned in ``extras``.

    Examples
    --------
    >>> q = decode_query({"preset": "sharepoint_2x_nlb3", "destination.needed": "5"})
    >>> q.scenario.destination.needed, q.errors
    (1, ['destination.needed=5: must be <= nodes (3); got 5'])
    """
    errors: list[str] = []
    extras: dict[str, str] = {}
    preset = _one(params.get(PRESET, DEFAULT_PRESET))
    if preset not in presets():
        errors.append(f"preset={preset}: unknown preset; showing {DEFAULT_PRESET}")
        preset = DEFAULT_PRESET
    base = load_preset(preset)
    data = base.to_dict()

    # sections first, so field parameters land in the right section
    if MESSAGEBOX in params:
        text = _one(params[MESSAGEBOX]).lower()
        if text in _TRUE:
            data[MESSAGEBOX] = data[MESSAGEBOX] or MessageBox().to_dict()
        elif text in _FALSE:
            data[MESSAGEBOX] = None
        else:
            errors.append(f"messagebox={text}: expected on or off")
    if DESTINATION in params:
        kind = _one(params[DESTINATION])
        if kind == "none":
            data[DESTINATION] = None
        elif kind in _DEST_DEFAULTS:
            if (data[DESTINATION] or {}).get("kind") != kind:
                data[DESTINATION] = _DEST_DEFAULTS[kind]().to_dict()
        else:
            errors.append(f"destination={kind}: expected none, endpoint or nlb_pool")

    # path -> (param text, section, {field name: value before, or _MISSING})
    applied: dict[str, tuple[str, str, dict[str, Any]]] = {}
    # alternative inputs (send_host.service_cv) last: they stand in for a stored field
    ordered = sorted(params.items(), key=lambda kv: _alternative(str(kv[0])) is not None)
    for key, raw in ordered:
        text = _one(raw)
        if key in (PRESET, MESSAGEBOX, DESTINATION):
            continue
        if key in extra_keys:
            extras[key] = text
            continue
        if key in ("name", "description"):
            data[key] = text
            continue
        section, _, name = key.partition(".")
        if section not in data or not name:
            errors.append(_unknown_param(key))
            continue
        if data[section] is None:
            errors.append(f"{key}: the {section} section is not modelled here (ignored)")
            continue
        kind = data[section].get("kind") if section == DESTINATION else None
        alt = _alternative(key)
        try:
            spec = alt.spec if alt is not None else input_spec(key, kind=kind)
        except KeyError:
            errors.append(_unknown_param(key))
            continue
        try:
            value = parse_param(text, spec)
        except ValueError as exc:
            errors.append(f"{key}={text}: {exc} (ignored)")
            continue
        before = {name: data[section].get(name, _MISSING)}
        new = dict(data[section])
        if alt is not None and alt.target.path not in params:
            # it replaces the preset's stored value; given both, the scenario names the clash
            before[alt.field.field] = new.pop(alt.field.field, _MISSING)
        new[name] = value
        data[section] = new
        applied[key] = (text, section, before)

    # validate; drop the parameter a failure names and retry, so the rest still applies
    for _ in range(len(applied) + 1):
        try:
            return QueryScenario(Scenario.from_dict(data), preset, errors, extras)
        except ScenarioError as exc:
            path = exc.path
            hit = next((p for p in applied if p == path or p.startswith(path + ".")), None)
            if hit is None:
                hit = next((p for p in applied if p.split(".")[0] == path.split(".")[0]), None)
            if hit is None:
                break
            text, section, before = applied.pop(hit)
            restored = dict(data[section])
            for name, old in before.items():
                if old is _MISSING:
                    restored.pop(name, None)
                else:
                    restored[name] = old
            data[section] = restored
            errors.append(f"{hit}={text}: {str(exc).split(': ', 1)[-1]}")
    errors.append("the URL does not describe a valid scenario; showing the preset")
    return QueryScenario(base, preset, errors, extras)


@functools.cache
def _param_names() -> tuple[str, ...]:
    names = {PRESET, MESSAGEBOX, DESTINATION, "name", "description"}
    names |= {s.path for s in input_specs()} | {a.spec.path for a in alternative_inputs()}
    return tuple(sorted(names))


def _unknown_param(key: str) -> str:
    close = difflib.get_close_matches(key, _param_names(), n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]}?" if close else ""
    return f"{key}: unknown parameter (ignored){hint}"


def _alternative(key: str) -> Any:
    """Return the alternative input a parameter name is (``send_host.service_cv``), or None."""
    alt = alternative_input(key)
    return alt if alt is not None and alt.spec.path == key else None


def parse_fraction(text: str | None) -> float | None:
    """Return a number strictly between 0 and 1 from text, or None if it is not one.

    Examples
    --------
    >>> parse_fraction("0.9995"), parse_fraction("1.5"), parse_fraction("abc"), parse_fraction(None)
    (0.9995, None, None, None)
    """
    try:
        x = float(text)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return x if 0.0 < x < 1.0 else None


def query_string(params: Mapping[str, str]) -> str:
    """Return query parameters as a URL query string (dots and commas left readable).

    Examples
    --------
    >>> query_string({"preset": "ordered_send_port", "send_host.instances": "3"})
    'preset=ordered_send_port&send_host.instances=3'
    """
    return urllib.parse.urlencode(params, safe=".,", quote_via=urllib.parse.quote)


def query_updates(
    current: Mapping[str, str], wanted: Mapping[str, str], keep: tuple[str, ...] = ()
) -> dict[str, str | None]:
    """Return the changes that turn the URL's parameters ``current`` into ``wanted``.

    Parameter name → new text, or None to delete it. Names in ``keep`` (parameters another
    widget owns, e.g. the open tab) are left alone.

    Examples
    --------
    >>> query_updates({"preset": "a", "x": "1", "tab": "Sizing"}, {"preset": "a", "y": "2"},
    ...               keep=("tab",))
    {'x': None, 'y': '2'}
    """
    out: dict[str, str | None] = {k: None for k in current if k not in wanted and k not in keep}
    out.update({k: v for k, v in wanted.items() if current.get(k) != v and k not in keep})
    return out
