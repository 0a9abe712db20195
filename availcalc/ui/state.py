"""Scenario ↔ flat input state (the values the UI's widgets hold, keyed as in :mod:`.fields`).

:func:`scenario_to_state` fills every input, including those of sections the scenario does not
model (with the field defaults), so a section switched on starts from sensible values.
:func:`state_to_scenario` builds and validates the scenario back; it raises the library's
:class:`~availcalc.ScenarioError` (a ``ValueError``) naming the field for an invalid value or a
contradictory setting.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from availcalc.model.schema import Scenario
from availcalc.ui.fields import (
    KEY_DESCRIPTION,
    KEY_DESTINATION_KIND,
    KEY_MESSAGEBOX_ON,
    KEY_NAME,
    input_specs,
)

__all__ = ["default_state", "scenario_to_state", "state_to_scenario"]


def default_state() -> dict[str, Any]:
    """Return the input state of a scenario of field defaults (optional sections off)."""
    return scenario_to_state(Scenario())


def scenario_to_state(scenario: Scenario) -> dict[str, Any]:
    """Return the input state (widget key → value) that represents ``scenario``.

    Examples
    --------
    >>> from availcalc import load_preset
    >>> state = scenario_to_state(load_preset("sharepoint_2x_nlb3"))
    >>> state["dest.kind"], state["in.destination.nlb_pool.nodes"], state["on.messagebox"]
    ('nlb_pool', 3, False)
    >>> state_to_scenario(state) == load_preset("sharepoint_2x_nlb3")
    True
    """
    data = scenario.to_dict()
    dest = data["destination"]
    kind = dest["kind"] if dest is not None else "none"
    state: dict[str, Any] = {
        KEY_NAME: scenario.name,
        KEY_DESCRIPTION: scenario.description,
        KEY_MESSAGEBOX_ON: data["messagebox"] is not None,
        KEY_DESTINATION_KIND: kind,
    }
    for spec in input_specs():
        if spec.section == "destination":
            section = dest if spec.group == f"destination.{kind}" else None
        else:
            section = data[spec.section]
        state[spec.key] = spec.default if section is None else section[spec.name]
    return state


def state_to_scenario(state: Mapping[str, Any]) -> Scenario:
    """Build and validate the scenario an input state describes.

    Missing keys take the field defaults; inputs of a section that is switched off are ignored.

    Raises
    ------
    ScenarioError
        (a ``ValueError``) naming the dotted field path of an invalid value.
    """
    kind = state.get(KEY_DESTINATION_KIND, "none")
    mb_on = bool(state.get(KEY_MESSAGEBOX_ON, False))
    data: dict[str, Any] = {
        "name": state.get(KEY_NAME) or "custom",
        "description": state.get(KEY_DESCRIPTION) or "",
        "workload": {},
        "send_host": {},
        "send_port": {},
        "messagebox": {} if mb_on else None,
        "destination": None if kind == "none" else {"kind": kind},
    }
    for spec in input_specs():
        if spec.section == "destination":
            if spec.group != f"destination.{kind}":
                continue
        elif data[spec.section] is None:
            continue
        value = state.get(spec.key, spec.default)
        data[spec.section][spec.name] = value
    return Scenario.from_dict(data)
