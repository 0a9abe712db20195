"""docs/cli.md shows real runs: every ``$ availcalc ...`` block is run and compared.

A block is a run of ``$ command`` lines, each followed by its expected output; a last output
line ``...`` means "the output starts with these lines". Commands run in bash in a temporary
folder holding the scenario file the page defines (``my_send_host.toml``), with this Python's
``bin`` first on PATH. After a deliberate change of the model or the CLI, refresh the page with

    .venv/bin/python tests/test_docs_cli.py --update
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[1] / "docs" / "cli.md"
_BLOCK = re.compile(r"```text\n(\$ .*?)```", re.S)
_TOML = re.compile(r"```toml\n(name = \"my_send_host\".*?)```", re.S)


def _commands(block: str) -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = []
    for line in block.rstrip("\n").split("\n"):
        if line.startswith("$ "):
            out.append((line[2:], []))
        else:
            out[-1][1].append(line)
    return out


def _run_all(commands: list[tuple[str, list[str]]], cwd: str) -> list[list[str]]:
    """Run the commands of one block in one bash session; return each command's output lines."""
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "COLUMNS": "100",
    }
    outputs = []
    last = 0
    for cmd, _ in commands:
        if cmd == "echo $?":
            outputs.append([str(last)])
            continue
        proc = subprocess.run(
            ["bash", "-c", cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
        )
        last = proc.returncode
        text = proc.stdout + proc.stderr
        outputs.append(text.rstrip("\n").split("\n") if text else [])
    return outputs


def _workdir() -> str:
    d = tempfile.mkdtemp(prefix="availcalc-cli-doc-")
    toml = _TOML.search(DOC.read_text(encoding="utf-8"))
    assert toml, "docs/cli.md must define my_send_host.toml"
    Path(d, "my_send_host.toml").write_text(toml.group(1), encoding="utf-8")
    return d


BLOCKS = _BLOCK.findall(DOC.read_text(encoding="utf-8"))


@pytest.mark.parametrize("block", BLOCKS, ids=[b.split("\n")[0][2:60] for b in BLOCKS])
def test_cli_page_shows_real_output(block):
    commands = _commands(block)
    got = _run_all(commands, _workdir())
    for (cmd, expected), actual in zip(commands, got, strict=True):
        if expected and expected[-1] == "...":
            assert actual[: len(expected) - 1] == expected[:-1], cmd
        else:
            assert [a.rstrip() for a in actual] == [e.rstrip() for e in expected], cmd


def update_doc() -> None:
    """Re-run every block and write the outputs back into docs/cli.md."""
    text = DOC.read_text(encoding="utf-8")
    cwd = _workdir()

    def redo(match: re.Match[str]) -> str:
        commands = _commands(match.group(1))
        got = _run_all(commands, cwd)
        lines = []
        for (cmd, expected), actual in zip(commands, got, strict=True):
            lines.append(f"$ {cmd}")
            if expected and expected[-1] == "...":
                lines += [*actual[: len(expected) - 1], "..."]
            else:
                lines += [a.rstrip() for a in actual]
        return "```text\n" + "\n".join(lines) + "\n```"

    DOC.write_text(_BLOCK.sub(redo, text), encoding="utf-8")


if __name__ == "__main__" and "--update" in sys.argv:
    update_doc()
