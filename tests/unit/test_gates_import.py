"""A run's gates import Great Expectations (about 7 s of one core): a run's landing starts that import
in the background while DuckDB reads the files, so the first gate does not wait for it."""

from __future__ import annotations

import subprocess
import sys


def test_the_gates_library_is_imported_in_the_background():
    # a fresh interpreter: this one may have imported it already
    code = (
        "import sys\n"
        "from creditwh.quality.background_import import import_great_expectations_in_the_background\n"
        "assert 'great_expectations' not in sys.modules, 'imported before it was asked for'\n"
        "thread = import_great_expectations_in_the_background()\n"
        "assert thread.daemon, 'a run must not wait for it to end'\n"
        "assert import_great_expectations_in_the_background() is thread, 'started once'\n"
        "thread.join()\n"
        "assert 'creditwh.quality.gx_duckdb' in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
