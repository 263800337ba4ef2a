"""``python -m patscape.cli``."""

from patscape.cli import run

run()
