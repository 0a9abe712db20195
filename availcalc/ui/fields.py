"""Input-widget specifications derived from the scenario's field specs.

Every scenario field has a :class:`~availcalc.FieldSpec` (label, unit, help, source, valid
range, choices). :func:`input_specs` turns each into an :class:`InputSpec`: the widget kind, the
label with its unit, bounds, step and display format, and the session-state key the UI stores
the value under. The UI builds its widgets from these and nothing else, so a new scenario field
shows up in the UI without touching the app.

Keys are ``"in.<section>.<field>"``; the two destination kinds keep separate keys
(``"in.destination.endpoint.mttr_h"``, ``"in.destination.nlb_pool.mttr_h"``) so switching the
kind back and forth keeps what was typed for each.

A field with an alternative input in the scenario's table
(:data:`~availcalc.model.schema.ALTERNATIVE_FIELDS`: the CV of a squared-CV field) also gets an
:class:`AlternativeInput`: a second widget under the first, holding the same quantity in the
alternative's terms and kept in step with it both ways. The stored field stays the one state
the scenario, the file and the URL are built from, so they remain exact.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import types
import typing
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any, Literal

from availcalc.model.kinds import DESTINATION_KINDS as _DESTINATION_KINDS
from availcalc.model.kinds import (
    HANDLER_KINDS,
    MESSAGEBOX_KINDS,
    NLB_AFFINITIES,
    NLB_OUTAGE_SCOPE_LABELS,
)
from availcalc.model.schema import ALTERNATIVE_FIELDS, AlternativeField, FieldSpec
from availcalc.model.schema import section_classes as _section_classes

__all__ = [
    "CHOICE_LABELS",
    "DESTINATION_KINDS",
    "GROUP_TITLES",
    "KEY_DESCRIPTION",
    "KEY_DESTINATION_KIND",
    "KEY_MESSAGEBOX_ON",
    "KEY_NAME",
    "SECTION_SHORT",
    "AlternativeInput",
    "InputSpec",
    "alternative_input",
    "alternative_inputs",
    "input_spec",
    "input_specs",
    "inputs_by_group",
]

#: Session-state keys of the inputs that are not scenario fields.
KEY_NAME = "in.name"
KEY_DESCRIPTION = "in.description"
KEY_MESSAGEBOX_ON = "on.messagebox"
KEY_DESTINATION_KIND = "dest.kind"

#: Input groups, in the order of the architecture (messages flow top to bottom).
GROUP_TITLES: dict[str, str] = {
    "workload": "Workload",
    "send_host": "Send host and adapter handler",
    "send_port": "Send port",
    "messagebox": "MessageBox (SQL Server)",
    "destination.endpoint": "Destination: endpoint",
    "destination.nlb_pool": "Destination: NLB pool",
}

#: Short section names (for option lists): group → name.
SECTION_SHORT: dict[str, str] = {
    "workload": "Workload",
    "send_host": "Send host",
    "send_port": "Send port",
    "messagebox": "MessageBox",
    "destination.endpoint": "Endpoint",
    "destination.nlb_pool": "NLB pool",
}

#: Destination kinds (``"none"`` = not modelled) → what the selector shows.
DESTINATION_KINDS: dict[str, str] = {
    "none": "not modelled",
    **{k: kind.label for k, kind in _DESTINATION_KINDS.items()},
}

#: Choice fields → value → what the selector shows.
CHOICE_LABELS: dict[str, dict[str, str]] = {
    "send_host.handler": {k: kind.label for k, kind in HANDLER_KINDS.items()},
    "messagebox.ha": {k: kind.label for k, kind in MESSAGEBOX_KINDS.items()},
    # the setting's name, as its help begins: "Single (the NLB default): ..."
    "destination.affinity": {k: a.help.split(":")[0] for k, a in NLB_AFFINITIES.items()},
    "destination.outage_scope": dict(NLB_OUTAGE_SCOPE_LABELS),
}

# Steps for fields whose default is zero or empty (a step cannot come from the default).
_STEP_OVERRIDES: dict[str, float] = {
    "send_host.planned_failovers_per_year": 1.0,
    "send_port.volatile_residence_s": 0.01,
    "messagebox.storage_mttf_h": 1000.0,
    "destination.endpoint.capacity_per_s": 1.0,
    "workload.latency_percentile": 0.01,
    "destination.endpoint.availability": 0.0001,
}

# Placeholders shorter than the help's "(empty = ...)" text, for the narrow sidebar.
_PLACEHOLDER_OVERRIDES: dict[str, str] = {
    "send_host.repair_crews": "one crew per instance",
}

_OPEN_BOUND_MARGIN = 1e-9


@dataclass(frozen=True)
class InputSpec:
    """How one scenario field is entered in the UI.

    Attributes
    ----------
    key : str
        Session-state key of the widget, e.g. ``"in.send_host.instances"``.
    group : str
        Input group (a key of :data:`GROUP_TITLES`).
    path : str
        Dotted scenario path as :meth:`Scenario.replace` takes it, e.g. ``"destination.nodes"``.
    name : str
        Field name within its section.
    widget : {"int", "float", "bool", "choice"}
        Widget kind.
    optional : bool
        Whether the field may be empty (None), e.g. repair crews.
    label : str
        Label with the unit in parentheses, e.g. ``"Service time per send (s)"``.
    default : object
        The field's default value.
    min_value, max_value : float or None
        Bounds for a number input (open bounds nudged inwards by a relative 1e-9).
    step : float or None
        Step of a number input.
    format : str or None
        printf format of a number input.
    choices : tuple of str or None
        Values of a choice field.
    placeholder : str or None
        Text shown in an empty optional input.
    spec : FieldSpec
        The field's specification.
    """

    key: str
    group: str
    path: str
    name: str
    widget: Literal["int", "float", "bool", "choice"]
    optional: bool
    label: str
    default: Any
    min_value: float | None
    max_value: float | None
    step: float | None
    format: str | None
    choices: tuple[str, ...] | None
    placeholder: str | None
    spec: FieldSpec

    @property
    def section(self) -> str:
        """Scenario section of the field (``"destination"`` for both destination kinds)."""
        return self.path.split(".", 1)[0]

    def format_choice(self, value: str) -> str:
        """Return what a selector shows for a choice value."""
        return CHOICE_LABELS.get(self.path, {}).get(value, value)

    def help_text(self, source: str | None = None) -> str:
        """Return the tooltip: meaning, where the value comes from, and the valid range.

        Parameters
        ----------
        source : str, optional
            Where the current value comes from (e.g. a preset's note); default: the field
            spec's source.
        """
        src = source if source is not None else self.spec.source
        parts = [self.spec.help, f"**Source:** {src}"]
        if self.widget in ("int", "float"):
            rng = self.spec.range_text()
            parts.append(f"**Valid:** {rng}" + ("; may be left empty" if self.optional else ""))
        return "\n\n".join(parts)


def _label(spec: FieldSpec) -> str:
    if spec.unit:
        return f"{spec.label} ({spec.unit})"
    if spec.low == 0.0 and spec.high == 1.0:
        return f"{spec.label} (0–1)"
    return spec.label


def _unwrap(hint: Any) -> tuple[Any, bool]:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        return args[0], len(args) < len(typing.get_args(hint))
    return hint, False


def _step(key_path: str, default: Any, spec: FieldSpec) -> float:
    if key_path in _STEP_OVERRIDES:
        return _STEP_OVERRIDES[key_path]
    if spec.low == 0.0 and spec.high == 1.0:
        return 0.01
    if isinstance(default, int | float) and default:
        return 10.0 ** (math.floor(math.log10(abs(float(default)))) - 1)
    return 1.0


def _bounds(spec: FieldSpec, integer: bool) -> tuple[float | None, float | None]:
    lo, hi = spec.low, spec.high
    if lo is not None and spec.low_open:
        lo = lo + 1 if integer else lo + _OPEN_BOUND_MARGIN * max(abs(lo), 1.0)
    if hi is not None and spec.high_open:
        hi = hi - 1 if integer else hi - _OPEN_BOUND_MARGIN * max(abs(hi), 1.0)
    if integer:
        return (None if lo is None else int(lo)), (None if hi is None else int(hi))
    return (None if lo is None else float(lo)), (None if hi is None else float(hi))


def _placeholder(key_path: str, spec: FieldSpec) -> str:
    # the help text of optional fields says what empty means, e.g. "(empty = not modelled)";
    # the placeholder is that text up to its closing parenthesis or a first top-level comma
    if key_path in _PLACEHOLDER_OVERRIDES:
        return _PLACEHOLDER_OVERRIDES[key_path]
    start = spec.help.find("(empty = ")
    if start < 0:
        return "empty"
    text = spec.help[start + len("(empty = ") :]
    depth = 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
        elif (ch == ")" or ch == ",") and not depth:
            return text[:i]
    return text


def _make(group: str, path: str, f: dataclasses.Field[Any], hint: Any) -> InputSpec:
    return _make_from_spec(group, path, f.name, f.metadata["spec"], hint, f.default)


def _make_from_spec(
    group: str, path: str, name: str, spec: FieldSpec, hint: Any, default: Any
) -> InputSpec:
    base, optional = _unwrap(hint)
    key_path = group + "." + name
    widget: Literal["int", "float", "bool", "choice"]
    choices = None
    min_value = max_value = step = None
    fmt = None
    if spec.choices:
        widget, choices = "choice", tuple(spec.choices)
    elif base is bool:
        widget = "bool"
    elif base is int:
        widget = "int"
        min_value, max_value = _bounds(spec, integer=True)
        step, fmt = 1, "%d"
    elif base is float:
        widget = "float"
        min_value, max_value = _bounds(spec, integer=False)
        step, fmt = _step(key_path, default, spec), "%g"
    else:  # pragma: no cover - the schema has no other field types
        raise TypeError(f"unsupported field type {hint!r} for {path}")
    return InputSpec(
        key="in." + key_path,
        group=group,
        path=path,
        name=name,
        widget=widget,
        optional=optional,
        label=_label(spec),
        default=default,
        min_value=min_value,
        max_value=max_value,
        step=step,
        format=fmt,
        choices=choices,
        placeholder=_placeholder(key_path, spec) if optional else None,
        spec=spec,
    )


@functools.cache
def input_specs() -> tuple[InputSpec, ...]:
    """Return the input specification of every scenario field, grouped in architecture order.

    Examples
    --------
    >>> spec = input_spec("send_host.service_time_s")
    >>> spec.label, spec.widget, spec.key
    ('Service time per send (s)', 'float', 'in.send_host.service_time_s')
    >>> input_spec("destination.nodes", kind="nlb_pool").min_value
    1
    """
    out: list[InputSpec] = []
    for section, classes in _section_classes().items():
        for cls in classes:
            group = section if section != "destination" else f"destination.{cls.kind}"
            hints = typing.get_type_hints(cls)
            for f in dataclasses.fields(cls):
                out.append(_make(group, f"{section}.{f.name}", f, hints[f.name]))
    return tuple(out)


def inputs_by_group() -> dict[str, list[InputSpec]]:
    """Return :data:`GROUP_TITLES` key → the input specs of that group, in field order."""
    groups: dict[str, list[InputSpec]] = {g: [] for g in GROUP_TITLES}
    for spec in input_specs():
        groups[spec.group].append(spec)
    return groups


def input_spec(path: str, kind: str | None = None) -> InputSpec:
    """Return the input spec of a dotted scenario path.

    Parameters
    ----------
    path : str
        Dotted path, e.g. ``"send_host.instances"`` or ``"destination.mttr_h"``.
    kind : str, optional
        Destination kind (``"endpoint"`` or ``"nlb_pool"``) for ``destination.*`` paths.

    Raises
    ------
    KeyError
        For an unknown path (or a destination field the kind does not have).
    """
    section, _, name = path.partition(".")
    group = section if section != "destination" else f"destination.{kind}"
    for spec in input_specs():
        if spec.group == group and spec.name == name:
            return spec
    raise KeyError(path if kind is None else f"{path} ({kind})")


# -- alternative inputs (e.g. the CV of a squared-CV field) ---------------------------------------
@dataclass(frozen=True)
class AlternativeInput:
    """A second widget for a field: the same quantity in other terms (e.g. the CV of an SCV).

    Built from the scenario's :class:`~availcalc.model.schema.AlternativeField` table. The UI
    shows :attr:`spec` right under the stored field's widget (:attr:`target`); :meth:`sync`
    (before the widget is drawn) and :meth:`apply` (its ``on_change``) keep the two in step.
    Only the stored field's value builds the scenario, the file and the URL.

    Attributes
    ----------
    spec : InputSpec
        The alternative's widget, e.g. key ``"in.send_host.service_cv"``, path
        ``"send_host.service_cv"``, range [0, 5].
    target : InputSpec
        The stored field's widget (``"in.send_host.service_scv"``).
    field : AlternativeField
        The scenario's definition of the alternative (name, conversion).
    """

    spec: InputSpec
    target: InputSpec
    field: AlternativeField

    def to_target(self, value: Any) -> Any:
        """Return the stored field's value for an alternative value (None stays None)."""
        return None if value is None else self.field.to_field(float(value))

    def from_target(self, value: Any) -> Any:
        """Return the alternative value for a stored field's value (None stays None)."""
        if value is None or isinstance(value, bool) or not isinstance(value, int | float):
            return None
        if not self.field.field_spec.admits(float(value)):
            return None
        return self.field.from_field(float(value))

    def in_step(self, state: MutableMapping[str, Any]) -> bool:
        """Return True if the alternative's input agrees with the stored field's."""
        if self.spec.key not in state:
            return False
        alt, stored = state[self.spec.key], state.get(self.target.key, self.target.default)
        if alt is None or stored is None:
            return alt is None and stored is None
        return math.isclose(self.to_target(alt), float(stored), rel_tol=1e-12, abs_tol=1e-300)

    def sync(self, state: MutableMapping[str, Any]) -> None:
        """Set the alternative's input from the stored field's, unless they already agree.

        Call before drawing the alternative's widget: a preset, an upload, the URL or the
        stored field's own widget may have changed the stored value.

        Examples
        --------
        >>> alt = alternative_input("send_host.service_scv")
        >>> state = {"in.send_host.service_scv": 2.25}
        >>> alt.sync(state); state["in.send_host.service_cv"]
        1.5
        >>> state["in.send_host.service_cv"] = 2.0
        >>> alt.apply(state); state["in.send_host.service_scv"]
        4.0
        """
        if not self.in_step(state):
            state[self.spec.key] = self.from_target(state.get(self.target.key, self.target.default))

    def apply(self, state: MutableMapping[str, Any]) -> None:
        """Write the alternative's input through to the stored field (the widget's callback)."""
        value = state.get(self.spec.key)
        if value is not None:  # an emptied input leaves the stored value alone
            state[self.target.key] = self.to_target(value)

    def help_text(self) -> str:
        """Return the tooltip: meaning, how it relates to the stored field, the valid range."""
        target = self.target.spec
        return "\n\n".join(
            [
                self.spec.spec.help,
                f"Kept in step with **{target.label}** above: typing either one updates the "
                f"other. The model, the saved file and the share link use "
                f"{self.field.field}.",
                f"**Source:** {self.spec.spec.source}",
                f"**Valid:** {self.spec.spec.range_text()}",
            ]
        )


@functools.cache
def alternative_inputs() -> tuple[AlternativeInput, ...]:
    """Return the alternative input of every field that has one (scenario table order).

    Examples
    --------
    >>> for a in alternative_inputs():
    ...     print(a.spec.key, "→", a.target.key, a.spec.min_value, a.spec.max_value)
    in.workload.arrival_cv → in.workload.arrival_scv 0.0 5.0
    in.send_host.service_cv → in.send_host.service_scv 0.0 5.0
    """
    out = []
    for alt in ALTERNATIVE_FIELDS.values():
        target = input_spec(alt.field_path)
        default = alt.from_field(target.default)
        spec = _make_from_spec(target.group, alt.path, alt.name, alt.spec, float, default)
        out.append(AlternativeInput(spec, target, alt))
    return tuple(out)


def alternative_input(path: str) -> AlternativeInput | None:
    """Return the alternative input of a field, by the stored field's path or the alternative's.

    ``"send_host.service_scv"`` and ``"send_host.service_cv"`` both give the service-time CV
    input; a field without an alternative gives None.
    """
    for alt in alternative_inputs():
        if path in (alt.spec.path, alt.target.path):
            return alt
    return None
