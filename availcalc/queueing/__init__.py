"""queueing models (see the package docstring of availcalc)."""

__all__: list[str] = []
