"""Run the command line: ``python -m availcalc``."""

from availcalc.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
