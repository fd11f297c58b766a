"""How far a run's phases have got, for the command line to show (creditwh/cli_output.py).

The steps report through one Python logger, so they need not know who listens: `creditwh run`
attaches a handler to it; under `dagster dev` or in the tests nobody does and nothing is shown."""

from __future__ import annotations

import logging

LOGGER = logging.getLogger("creditwh.progress")
LOGGER.setLevel(logging.INFO)
LOGGER.propagate = False  # never printed as a log line: it is the CLI's to render


def report(phase: str, done: int, total: int, bytes_done: int | None = None) -> None:
    """``done`` of ``total`` units of ``phase`` (files landed, dbt models built, gates checked)."""
    LOGGER.info("%s: %d of %d", phase, done, total,
                extra={"phase": phase, "done": done, "total": total, "bytes_done": bytes_done})
