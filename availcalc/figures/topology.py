"""The sending path drawn as boxes: MessageBox → send host instances → handler → destination."""

from __future__ import annotations

import math
from typing import Any

import plotly.graph_objects as go

from availcalc.figures.style import COLORS, HANDLER_COLORS, base_layout, block_color
from availcalc.model.kinds import destination_kind, messagebox_kind

__all__ = ["topology_diagram"]

_W = 0.88  # box width (x units)
_CX = (0.5, 1.65, 2.8, 3.95)  # column centres: MessageBox, instances, handler, destination
_MAX_DRAWN = 4  # instance boxes drawn before "…"
_FONT = {"size": 12, "color": COLORS["text"]}  # explicit: a host theme must not grey it out


def _fill(hex_color: str, alpha: float = 0.14) -> str:
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def _avail(a: float, u: float) -> str:
    """Format an availability with enough decimals for its nines, else as "1 − U"."""
    if 0 < u < 1e-9:
        return f"1 − {u:.2g}"
    digits = 6 if not u > 0 else max(6, math.ceil(-math.log10(u)) + 2)
    return f"{a:.{digits}f}"


def _rate(x: float) -> str:
    """Format a rate in msg/s: 4 significant digits, thousands as 21,333."""
    return f"{x:,.0f}" if x >= 1000 else f"{x:.4g}"


def _avail_text(row: Any) -> str:
    a = _avail(float(row["availability"]), float(row["unavailability"]))
    return f"A = {a}<br>{row['downtime_min_per_year']:.3g} min/yr down"


def _heading(component: str) -> str:
    """Write a block's name in bold, broken after "MessageBox" (the boxes are narrow)."""
    head, sep, rest = component.partition(" ")
    if head == "MessageBox" and sep:
        return f"<b>{head}<br>{rest}</b>"
    return f"<b>{component}</b>"


def _details(row: Any) -> str:
    return (
        f"<b>{row['component']}</b><br>availability = {row['availability']:.8f}<br>"
        f"unavailability = {row['unavailability']:.4e}<br>"
        f"downtime = {row['downtime_min_per_year']:.6g} min/yr<br>"
        f"outages = {row['outages_per_year']:.6g} /yr, mean {row['mean_outage_min']:.6g} min<br>"
        f"share of the path downtime = {100 * row['share_of_downtime']:.3g} %"
    )


class _Canvas:
    """Shapes, annotations and hover points of the diagram, built into one figure at the end."""

    def __init__(self) -> None:
        self.shapes: list[dict[str, Any]] = []
        self.annotations: list[dict[str, Any]] = []
        self.hover_x: list[float] = []
        self.hover_y: list[float] = []
        self.hover_text: list[str] = []

    def text(self, x: float, y: float, text: str, **kw: Any) -> None:
        self.annotations.append(
            {"x": x, "y": y, "text": text, "showarrow": False, "font": _FONT, **kw}
        )

    def box(
        self,
        cx: float,
        y0: float,
        y1: float,
        text: str,
        color: str,
        *,
        hover: str | None = None,
        dashed: bool = False,
        width: float = _W,
        name: str = "",
    ) -> None:
        self.shapes.append(
            {
                "type": "rect",
                "x0": cx - width / 2,
                "x1": cx + width / 2,
                "y0": y0,
                "y1": y1,
                "line": {"color": color, "width": 2, "dash": "dash" if dashed else "solid"},
                "fillcolor": _fill(color),
                "layer": "below",
                "name": name,
            }
        )
        self.text(cx, (y0 + y1) / 2, text, align="center")
        if hover:
            self.hover_x.append(cx)
            self.hover_y.append((y0 + y1) / 2)
            self.hover_text.append(hover)

    def outline(self, cx: float, y0: float, y1: float, label: str) -> None:
        self.shapes.append(
            {
                "type": "rect",
                "x0": cx - _W / 2 - 0.04,
                "x1": cx + _W / 2 + 0.04,
                "y0": y0 - 0.03,
                "y1": y1 + 0.03,
                "line": {"color": COLORS["target"], "width": 3},
                "name": "bottleneck",
            }
        )
        self.text(
            cx, y1 + 0.03, label, yanchor="bottom", font={"color": COLORS["target"], "size": 12}
        )

    def arrow(self, x0: float, x1: float, text: str) -> None:
        self.annotations.append(
            {
                "x": x1,
                "y": 0.5,
                "ax": x0,
                "ay": 0.5,
                "xref": "x",
                "yref": "y",
                "axref": "x",
                "ayref": "y",
                "showarrow": True,
                "arrowhead": 2,
                "arrowsize": 1.3,
                "arrowwidth": 2,
                "arrowcolor": COLORS["base"],
                "text": "",
            }
        )
        if text:
            self.text(
                (x0 + x1) / 2, 0.5, text, yanchor="bottom",
                font={"size": 10, "color": COLORS["base"]},
            )  # fmt: skip

    def figure(self, title: str) -> go.Figure:
        hover = {
            "type": "scatter",
            "x": self.hover_x,
            "y": self.hover_y,
            "mode": "markers",
            "marker": {"size": 60, "opacity": 0},
            "hovertext": self.hover_text,
            "hovertemplate": "%{hovertext}<extra></extra>",
            "name": "blocks",
            "showlegend": False,
        }
        layout = base_layout(
            title,
            height=440,
            showlegend=False,
            margin={"l": 10, "r": 10, "t": 80, "b": 10},
            shapes=self.shapes,
            annotations=self.annotations,
            xaxis={"visible": False, "range": [0, 4.45], "fixedrange": True},
            yaxis={"visible": False, "range": [0, 1.05], "fixedrange": True},
        )
        return go.Figure(data=[hover], layout=layout)


def topology_diagram(evaluation: Any) -> go.Figure:
    """Draw the sending path, each block annotated with its availability and downtime.

    MessageBox (SQL server or failover cluster, shared storage) → send host instances →
    adapter handler (scaled out or clustered) → destination (endpoint or NLB pool). Text in
    the boxes makes it readable without a legend; the bottleneck stage is outlined in red;
    hovering a box gives its exact availability, outages and share of the path downtime.

    Parameters
    ----------
    evaluation : Evaluation
        The result of :func:`availcalc.evaluate` (its ``scenario``, ``stages``,
        ``downtime_breakdown``, ``send_block`` and headline numbers are drawn; nothing is
        computed).

    Returns
    -------
    plotly.graph_objects.Figure
        Boxes are layout shapes and their text layout annotations; one invisible scatter
        trace (``"blocks"``) carries the hover text.

    Examples
    --------
    >>> from availcalc import evaluate, load_preset
    >>> fig = topology_diagram(evaluate(load_preset("msmq_clustered_active_passive")))
    >>> heads = [a.text.split("</b>")[0].replace("<br>", " ") for a in fig.layout.annotations]
    >>> [t for t in heads if t.startswith("<b>")]  # doctest: +NORMALIZE_WHITESPACE
    ['<b>MessageBox SQL cluster', '<b>MessageBox shared storage', '<b>Send host',
     '<b>Adapter handler']
    >>> "Destination (not modelled)" in heads
    True
    """
    ev = evaluation
    s = ev.scenario
    h = s.send_host
    bd = ev.downtime_breakdown.reset_index(drop=True)
    records = bd.to_dict("records")
    names = [str(c) for c in bd["component"]]
    send_name = str(ev.send_block.name)
    i_send = names.index(send_name)
    mb_rows = records[:i_send]
    dest_row = records[i_send + 1] if i_send + 1 < len(bd) else None
    caps = dict(zip(ev.stages["stage"].astype(str), ev.stages["capacity_per_s"], strict=True))
    hkind = h.handler_kind
    hcolor = HANDLER_COLORS[hkind.key]
    cv = _Canvas()
    boxes: dict[str, tuple[float, float, float]] = {}

    # -- MessageBox --------------------------------------------------------------------------
    cx = _CX[0]
    if s.messagebox is None:
        cv.box(cx, 0.3, 0.7, "MessageBox<br>(not modelled)", COLORS["neutral"], dashed=True)
    else:
        mb = s.messagebox
        spans = [(0.3, 0.75)] if len(mb_rows) == 1 else [(0.5, 0.92), (0.08, 0.42)]
        for row, (y0, y1) in zip(mb_rows, spans, strict=True):
            extra = ""
            if "storage" not in str(row["component"]):
                what = messagebox_kind(mb).topology_text
                extra = f"{what}<br>{_rate(mb.capacity_per_s)} msg/s<br>"
            cv.box(
                cx,
                y0,
                y1,
                f"{_heading(str(row['component']))}<br>{extra}{_avail_text(row)}",
                block_color(str(row["component"])),
                hover=_details(row),
                name=str(row["component"]),
            )
        boxes["MessageBox"] = (cx, *spans[0])

    # -- send host instances -----------------------------------------------------------------
    cx = _CX[1]
    send_row = records[i_send]
    n = h.instances
    drawn = n if n <= _MAX_DRAWN else _MAX_DRAWN - 1
    gap, hbox = 0.03, 0.12
    rows = drawn + (drawn < n)
    top = 0.5 + (rows * hbox + (rows - 1) * gap) / 2
    bottom = top - rows * hbox - (rows - 1) * gap
    for k in range(drawn):
        y1 = top - k * (hbox + gap)
        label = hkind.unit_label(k)
        cv.box(cx, y1 - hbox, y1, label, hcolor, width=_W * 0.8, name=label)
    if drawn < n:
        cv.text(cx, bottom + hbox / 2, f"⋮ {n} instances in all")
    noun = hkind.noun(n)
    cv.text(cx, top + 0.02, f"<b>Send host</b>: {n} {noun}", yanchor="bottom")
    cv.text(cx, bottom - 0.02, _avail_text(send_row), yanchor="top")
    cv.hover_x.append(cx)
    cv.hover_y.append(0.5)
    cv.hover_text.append(_details(send_row))

    # -- handler -----------------------------------------------------------------------------
    cx = _CX[2]
    port = s.send_port
    how = hkind.describe(h)
    sends = (
        "ordered: 1 send<br>at a time"
        if port.ordered_delivery
        else f"{h.active_instances} × {h.concurrency} concurrent sends"
    )
    cap = caps.get("send host", float("nan"))
    cv.box(
        cx,
        0.28,
        0.72,
        f"<b>Adapter handler</b><br>{how}<br>{sends}<br>{_rate(cap)} msg/s",
        hcolor,
        hover=f"<b>send stage</b><br>capacity = {cap:.6g} msg/s<br>{sends.replace('<br>', ' ')}",
        name="handler",
    )
    boxes["send host"] = (cx, 0.28, 0.72)

    # -- destination -------------------------------------------------------------------------
    cx = _CX[3]
    d = s.destination
    if d is None or dest_row is None:
        cv.box(cx, 0.3, 0.7, "Destination<br>(not modelled)", COLORS["neutral"], dashed=True)
    else:
        if destination_kind(d).pooled:
            what = (
                f"NLB pool: {d.nodes} nodes,<br>{d.needed} needed<br>"
                f"{d.nodes} × {d.capacity_per_node_per_s:g} msg/s"
            )
        else:
            cap_txt = "" if d.capacity_per_s is None else f", {d.capacity_per_s:g} msg/s"
            what = f"endpoint{cap_txt}"
        cv.box(
            cx,
            0.28,
            0.72,
            f"<b>Destination</b><br>{what}<br>{_avail_text(dest_row)}",
            COLORS["destination"],
            hover=_details(dest_row),
            name=str(dest_row["component"]),
        )
        boxes["destination"] = (cx, 0.28, 0.72)

    # -- arrows, bottleneck, hover -----------------------------------------------------------
    cv.arrow(_CX[0] + _W / 2, _CX[1] - 0.4 * _W, "dequeue")
    cv.arrow(_CX[1] + 0.4 * _W, _CX[2] - _W / 2, "")
    cv.arrow(_CX[2] + _W / 2, _CX[3] - _W / 2, "send")
    if ev.bottleneck in boxes:
        bx, y0, y1 = boxes[ev.bottleneck]
        cv.outline(bx, y0, y1, f"bottleneck: {_rate(ev.capacity_per_s)} msg/s")
    title = (
        f"Path availability {_avail(ev.availability, ev.unavailability)} · "
        f"{ev.downtime_min_per_year:.3g} min/yr down<br>"  # two lines: fits a narrow page
        f"capacity {_rate(ev.capacity_per_s)} msg/s ({ev.bottleneck})"
    )
    return cv.figure(title)
