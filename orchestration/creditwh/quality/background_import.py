"""The gates need Great Expectations, whose import takes about 7 s of one core. A run's landing (or,
in a run without one, its first dbt step) starts that import in a thread: landing is mostly DuckDB's
work, which leaves the interpreter free, so the import costs the run little wall time, where the
first gate would otherwise wait for it. (dbt builds in the step's process: an import beside it slows
dbt's own Python work.)"""

from __future__ import annotations

import threading

_started: threading.Thread | None = None
_lock = threading.Lock()


def import_great_expectations_in_the_background() -> threading.Thread:
    """Start importing the gates' library, once per process; the thread (a daemon: a run never waits
    for it to end). A failed import here is let be: the first gate imports it again, and reports
    what fails."""
    global _started
    with _lock:
        if _started is None:
            _started = threading.Thread(target=_import, name="import-great-expectations", daemon=True)
            _started.start()
        return _started


def _import() -> None:
    try:
        import creditwh.quality.gx_duckdb  # noqa: F401
    except Exception:  # noqa: BLE001
        pass
