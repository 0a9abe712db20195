"""Command line: ``availcalc presets | evaluate | compare | size | validate | plot``.

Examples::

    availcalc presets
    availcalc evaluate msmq_clustered_active_passive
    availcalc evaluate my_scenario.toml --set send_host.instances=4 --json
    availcalc compare msmq_clustered_active_passive msmq_nonclustered_3x
    availcalc size http_scaled_out_2node --instances-down 1 --availability-target 0.9995
    availcalc validate ordered_send_port --replications 20 --seed 1
    availcalc plot msmq_clustered_active_passive topology -o topology.png

Every command takes a preset name or a scenario file (``.json`` / ``.toml``) and any number of
``--set section.field=value`` overrides. Bad input prints one ``error:`` line and exits with 2.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from availcalc.model.metrics import format_availability

__all__ = ["main"]


class _Usage(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # one line, exit 2 (argparse prints usage otherwise)
        raise _Usage(message)


def _parse_value(text: str) -> Any:
    from availcalc.model.io import _parse_json
    from availcalc.model.schema import ScenarioError

    low = text.strip().lower()
    if low in ("none", "null", ""):
        return None
    try:
        return _parse_json(text)
    except ScenarioError:  # not JSON (or too long or deep to read as JSON): the text itself
        return text


def _overrides(pairs: Sequence[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for pair in pairs:
        path, sep, value = pair.partition("=")
        if not sep or not path.strip():
            raise ValueError(f"--set expects section.field=value; got {pair!r}")
        out[path.strip()] = _parse_value(value)
    return out


def _scenario(ref: str, sets: Sequence[str]) -> Any:
    from availcalc.model.io import load_scenario
    from availcalc.model.presets import load_preset, presets

    if ref in presets():
        scenario = load_preset(ref)
    elif Path(ref).suffix.lower() in (".json", ".toml"):
        scenario = load_scenario(ref)
    else:
        raise ValueError(
            f"{ref!r} is neither a preset ({', '.join(presets())}) nor a .json/.toml file"
        )
    changes = _overrides(sets)
    return scenario.replace(**changes) if changes else scenario


def _fmt(v: Any) -> str:
    if isinstance(v, bool | np.bool_):
        return "yes" if v else "no"
    if isinstance(v, float | np.floating):
        v = float(v)
        if math.isinf(v):
            return "inf"
        if 0.99 < v < 1.0:  # availability-like: three significant digits of the complement
            return format_availability(v)
        if v != 0 and (abs(v) < 1e-3 or abs(v) >= 1e6):
            return f"{v:.4g}"
        return f"{v:.6g}"
    return str(v)


def _table(df: pd.DataFrame, left: Sequence[str] = (), header: bool = True) -> str:
    """Return a DataFrame as aligned text: numbers right-aligned, ``left`` columns left."""
    cells = {c: [_fmt(v) for v in df[c]] for c in df.columns}
    lines = [[str(c) for c in df.columns]] if header else []
    lines += [[cells[c][i] for c in df.columns] for i in range(len(df))]
    widths = [max(len(row[j]) for row in lines) for j in range(len(df.columns))] if lines else []
    out = []
    for row in lines:
        text = [
            v.ljust(w) if c in left else v.rjust(w)
            for v, w, c in zip(row, widths, df.columns, strict=True)
        ]
        out.append("  ".join(text).rstrip())
    return "\n".join(out)


def _json_default(o: Any) -> Any:
    return None


def _dump_json(data: Any) -> str:
    def clean(x: Any) -> Any:
        if isinstance(x, dict):
            return {k: clean(v) for k, v in x.items()}
        if isinstance(x, list | tuple):
            return [clean(v) for v in x]
        if isinstance(x, float) and not math.isfinite(x):
            return None
        return x

    return json.dumps(clean(data), indent=2, ensure_ascii=False, default=_json_default)


def _cmd_presets(args: argparse.Namespace) -> str:
    from availcalc.model.presets import preset_descriptions

    rows = pd.DataFrame([{"preset": k, "description": v} for k, v in preset_descriptions().items()])
    if args.json:
        return _dump_json(rows.to_dict(orient="records"))
    width = max(len(k) for k in rows["preset"])
    return "\n".join(f"{r.preset:<{width}}  {r.description}" for r in rows.itertuples(index=False))


def _results_table(summary: pd.DataFrame) -> str:
    """Return ``Evaluation.summary()`` as text, one block per metric group."""
    shown = pd.DataFrame(
        {
            "result": summary["label"],
            "value": summary["value"],
            "unit": summary["unit"],
            "metric": summary["metric"],
        }
    )
    lines = _table(shown, left=("result", "unit", "metric"), header=False).split("\n")
    out: list[str] = []
    for i, group in enumerate(summary["group"]):
        if i == 0 or group != summary["group"].iloc[i - 1]:
            out += ["", group] if out else [group]
        out.append(lines[i])
    return "\n".join(out)


def _cmd_evaluate(args: argparse.Namespace) -> str:
    from availcalc.model.evaluate import evaluate

    ev = evaluate(_scenario(args.scenario, args.set))
    if args.json:
        return _dump_json(ev.to_dict())
    if args.csv:
        return ev.summary().to_csv(index=False).rstrip("\n")
    s = ev.scenario
    parts = [
        f"{s.name}: {s.description}" if s.description else s.name,
        "",
        _results_table(ev.summary()),
        "",
        "availability by part",
        _table(ev.parts),
        "",
        "stages",
        _table(ev.stages),
        "",
        "send-tier failure states (others up)",
        _table(ev.states),
        "",
        "downtime by component",
        _table(ev.downtime_breakdown),
    ]
    return "\n".join(parts)


def _cmd_compare(args: argparse.Namespace) -> str:
    from availcalc.model.evaluate import evaluate
    from availcalc.model.planning import compare

    evaluations = [evaluate(_scenario(ref, args.set)) for ref in args.scenarios]
    df = compare(evaluations)
    if args.json:
        # the same shape as `evaluate --json`, once per scenario (named as the table's columns)
        names = [c for c in df.columns if c not in ("unit", "label")]
        return _dump_json(
            {
                "scenarios": [
                    {**ev.to_dict(), "name": n} for n, ev in zip(names, evaluations, strict=True)
                ]
            }
        )
    if args.csv:
        return df.to_csv().rstrip("\n")
    shown = df.drop(columns=["label"]).reset_index(drop=True)
    shown.insert(0, "result", df["label"].to_numpy())
    shown["metric"] = df.index.to_numpy()
    return _table(shown, left=("result", "unit", "metric"))


def _cmd_size(args: argparse.Namespace) -> str:
    from availcalc.model.planning import size_instances

    sizing = size_instances(
        _scenario(args.scenario, args.set),
        instances_down=args.instances_down,
        availability_target=args.availability_target,
        sla_target=args.sla_target,
    )
    if args.json:
        return _dump_json(sizing.to_dict())
    if not sizing.feasible:
        return f"no feasible size: {sizing.reason}"
    lines = [
        f"instances: {sizing.instances}  ({sizing.reason})",
        f"latency percentile with {sizing.instances_down} down: "
        f"{_fmt(sizing.latency_percentile_s)} s",
        f"availability: {_fmt(sizing.availability)}",
        f"SLA availability (incl. backlog drain): {_fmt(sizing.sla_availability)}",
    ]
    if sizing.evaluation is not None:
        lines += ["", _results_table(sizing.evaluation.summary())]
    return "\n".join(lines)


def _cmd_validate(args: argparse.Namespace) -> str:
    from availcalc.simulation import validate

    scenario = _scenario(args.scenario, args.set)
    df = validate(
        scenario,
        replications=args.replications,
        years=args.years,
        messages=args.messages,
        confidence=args.confidence,
        seed=args.seed,
        n_jobs=args.jobs,
        outage_s=args.outage_s,
    )
    if args.json:
        records = [
            {k: (None if v is pd.NA else v) for k, v in row.items()}
            for row in df.to_dict(orient="records")
        ]
        return _dump_json(
            {
                "scenario": scenario.name,
                "replications": args.replications,
                "years": args.years,
                "messages": args.messages,
                "confidence": args.confidence,
                "seed": args.seed,
                "rows": records,
            }
        )
    if args.csv:
        return df.to_csv(index=False).rstrip("\n")
    agree = df["agrees"]
    head = (
        f"{scenario.name}: analytic vs simulation ({args.replications} replications × "
        f"{args.years:g} years, {args.messages} messages per queue run, seed {args.seed}, "
        f"{100 * args.confidence:g} % intervals)"
    )
    tail = (
        f"{int(agree.sum())} of {int(agree.notna().sum())} checked metrics agree "
        f"(by chance about 1 in {round(1 / (1 - args.confidence))} falls outside its interval)"
    )
    shown = df.drop(columns=["label"]).fillna({"note": ""})
    shown["agrees"] = [("-" if v is pd.NA else ("yes" if v else "NO")) for v in agree]
    # a note is a sentence: numbered in the table, written out below it (the table stays narrow)
    notes = list(dict.fromkeys(n for n in shown["note"] if n))
    shown["note"] = [f"[{notes.index(n) + 1}]" if n else "" for n in shown["note"]]
    listed = [f"[{i}] {n}" for i, n in enumerate(notes, 1)]
    return "\n".join([head, "", _table(shown), *(["", *listed] if listed else []), "", tail])


# `availcalc plot`: the figures a planner pastes into a report, built as the app builds them
_PLOTS = {
    "topology": "the sending path, each block's availability (topology_diagram)",
    "states": "failure states: probability, latency (failure_states_chart)",
    "load": "latency vs arrival rate, 5-99 % of capacity (latency_vs_load)",
    "instances": "downtime vs instances, both handlers (availability_vs_instances)",
    "sizing": "SLA availability vs instances, both handlers (sla_vs_instances)",
    "tornado": "inputs ranked by their swing of a metric (tornado_chart)",
    "importance": "SLA downtime saved by 10 % better inputs (importance_chart)",
}
_PLOT_LOAD_POINTS = 25
_PLOT_RANKING_METRIC = "sla_downtime_min_per_year"  # tornado and importance, as in the app


def _plot_figure(scenario: Any, args: argparse.Namespace) -> Any:
    from availcalc import analysis, figures
    from availcalc.model.evaluate import evaluate
    from availcalc.ui.analysis import default_range, sweep_values

    name = args.figure
    if args.metric is not None and name not in ("tornado", "importance"):
        raise ValueError(f"--metric applies to the tornado and importance figures, not {name!r}")
    if args.availability_target is not None and name != "sizing":
        raise ValueError(f"--availability-target applies to the sizing figure only, not {name!r}")
    ev = evaluate(scenario)
    n = scenario.send_host.instances
    if name == "topology":
        return figures.topology_diagram(ev)
    if name == "states":
        return figures.failure_states_chart(ev)
    if name == "load":
        w, path = scenario.workload, "workload.arrival_rate_per_s"
        lo, hi = default_range(scenario, path, ev.capacity_per_s)
        values = sweep_values(scenario, path, lo, hi, _PLOT_LOAD_POINTS)
        return figures.latency_vs_load(
            analysis.sweep(scenario, {path: values}),
            target_s=w.latency_target_s,
            capacity_per_s=ev.capacity_per_s,
            percentile=w.latency_percentile,
        )
    if name == "instances":
        hc = analysis.handler_comparison(scenario, range(1, max(6, n + 2) + 1))
        return figures.availability_vs_instances(hc)
    if name == "sizing":
        hc = analysis.handler_comparison(scenario, range(1, max(8, n + 2) + 1))
        return figures.sla_vs_instances(hc, availability_target=args.availability_target)
    if name == "tornado":
        tor = analysis.tornado(scenario, args.metric or _PLOT_RANKING_METRIC)
        return figures.tornado_chart(tor)
    imp = analysis.importance(scenario, args.metric or _PLOT_RANKING_METRIC)
    return figures.importance_chart(imp)


def _cmd_plot(args: argparse.Namespace) -> str:
    from availcalc.figures import save_figure

    fig = _plot_figure(_scenario(args.scenario, args.set), args)
    try:
        path = save_figure(fig, args.output, width=args.width, height=args.height, scale=args.scale)
    except RuntimeError as exc:  # no kaleido or no browser: one `error:` line, exit 2
        raise ValueError(str(exc)) from None
    return f"wrote {args.output} ({path.stat().st_size} bytes)"


def _parser() -> _Parser:
    p = _Parser(
        prog="availcalc",
        description="Capacity and availability of scaled-out sending hosts: list presets, "
        "evaluate, compare, size, validate and plot scenarios (a preset name or a .json/.toml "
        "file).",
        epilog="Example: availcalc evaluate msmq_clustered_active_passive --set "
        "send_host.instances=2 --json",
    )
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def common(sp: argparse.ArgumentParser, formats: bool = True) -> None:
        sp.add_argument(
            "--set",
            action="append",
            default=[],
            metavar="SECTION.FIELD=VALUE",
            help="override a scenario field (repeatable)",
        )
        if formats:
            g = sp.add_mutually_exclusive_group()
            g.add_argument("--json", action="store_true", help="print JSON")
            g.add_argument("--csv", action="store_true", help="print CSV")

    sp = sub.add_parser("presets", help="list the built-in scenarios")
    sp.add_argument("--json", action="store_true", help="print JSON")
    sp.set_defaults(func=_cmd_presets)

    sp = sub.add_parser("evaluate", help="evaluate a preset or scenario file")
    sp.add_argument("scenario", help="preset name or .json/.toml file")
    common(sp)
    sp.set_defaults(func=_cmd_evaluate)

    sp = sub.add_parser("compare", help="compare scenarios side by side")
    sp.add_argument("scenarios", nargs="+", help="preset names or files")
    common(sp)
    sp.set_defaults(func=_cmd_compare)

    sp = sub.add_parser("size", help="fewest instances meeting the latency target with k down")
    sp.add_argument("scenario", help="preset name or .json/.toml file")
    sp.add_argument(
        "--instances-down",
        type=int,
        default=1,
        metavar="K",
        help="instances failed while the target must hold (default 1)",
    )
    sp.add_argument(
        "--availability-target",
        type=float,
        default=None,
        metavar="A",
        help="also require this path availability, e.g. 0.9995",
    )
    sp.add_argument(
        "--sla-target",
        type=float,
        default=None,
        metavar="A",
        help="also require this SLA availability (up and on time, backlog drain included)",
    )
    sp.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="SECTION.FIELD=VALUE",
        help="override a scenario field (repeatable)",
    )
    sp.add_argument("--json", action="store_true", help="print JSON")
    sp.set_defaults(func=_cmd_size)

    sp = sub.add_parser("validate", help="check the analytic model against simulation")
    sp.add_argument("scenario", help="preset name or .json/.toml file")
    sp.add_argument("--replications", type=int, default=20, metavar="N", help="default 20")
    sp.add_argument("--seed", type=int, default=1, metavar="S", help="random seed (default 1)")
    sp.add_argument(
        "--years", type=float, default=1000.0, metavar="Y", help="years per replication"
    )
    sp.add_argument(
        "--messages", type=int, default=20_000, metavar="M", help="messages per queue run"
    )
    sp.add_argument(
        "--confidence", type=float, default=0.95, metavar="C", help="interval level (0.95)"
    )
    sp.add_argument(
        "--jobs", type=int, default=None, metavar="J", help="worker processes (default: all)"
    )
    sp.add_argument(
        "--outage-s",
        type=float,
        default=None,
        metavar="T",
        help="also simulate messages through one outage of T seconds (backlog, drain)",
    )
    common(sp)
    sp.set_defaults(func=_cmd_validate)

    sp = sub.add_parser(
        "plot",
        help="write a figure for a report (.png, .svg, .pdf or .html)",
        description="Write one figure of a scenario to a file; its extension sets the format.\n"
        "HTML works offline without a browser; PNG, SVG and PDF need kaleido\n"
        "(pip install 'availcalc[export]') and a Chrome/Chromium browser.",
        epilog="figures:\n" + "\n".join(f"  {k:<11} {v}" for k, v in _PLOTS.items()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sp.add_argument("scenario", help="preset name or .json/.toml file")
    sp.add_argument("figure", choices=list(_PLOTS), metavar="FIGURE", help="see below")
    sp.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="FILE",
        help="file to write: .png, .svg, .pdf or .html",
    )
    sp.add_argument(
        "--metric",
        default=None,
        metavar="METRIC",
        help="tornado, importance: the metric to rank the inputs by (default "
        f"{_PLOT_RANKING_METRIC}; importance takes a downtime, an availability or "
        "expected_throughput_fraction)",
    )
    sp.add_argument(
        "--availability-target",
        type=float,
        default=None,
        metavar="A",
        help="sizing: draw this availability target, e.g. 0.9995",
    )
    sp.add_argument("--width", type=int, default=None, metavar="PX", help="image width (px)")
    sp.add_argument("--height", type=int, default=None, metavar="PX", help="image height (px)")
    sp.add_argument(
        "--scale", type=float, default=2.0, metavar="S", help="PNG pixel density (default 2)"
    )
    common(sp, formats=False)
    sp.set_defaults(func=_cmd_plot)
    return p


def _one_line(message: str) -> str:
    r"""Return a message as one printable line (a newline in the user's text as ``\n``).

    Characters that are not printable (newlines, control characters) are written as escapes.

    Examples
    --------
    >>> _one_line("unrecognized arguments: a\nb")
    'unrecognized arguments: a\\nb'
    """
    if message.isprintable():
        return message
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in message)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (0 ok, 2 bad input)."""
    try:
        args = _parser().parse_args(argv)
        out = args.func(args)
    except _Usage as exc:
        print(f"error: {_one_line(str(exc))} (see 'availcalc --help')", file=sys.stderr)
        return 2
    except (ValueError, OSError) as exc:  # OSError: a file that cannot be read or written
        print(f"error: {_one_line(str(exc))}", file=sys.stderr)
        return 2
    try:
        print(out)
    except BrokenPipeError:  # e.g. `availcalc evaluate x | head`
        sys.stderr.close()
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
