"""The README's library example runs as written, and says what it returns."""

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_library_example_runs():
    code = re.search(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S).group(1)
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)  # our own documentation
    ac = namespace["ac"]
    # the one value the example states in a comment
    assert (
        ac.size_instances(ac.load_preset("http_scaled_out_2node"), instances_down=1).instances == 5
    )
