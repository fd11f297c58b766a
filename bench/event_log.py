"""Dagster's event storing as `creditwh run` does it (creditwh/dagster_storage.py), in a fresh home:
the run's creation (one planned event per asset and check) and 1,000 events, twice.

    .venv/bin/python bench/event_log.py
"""
import tempfile
import time
from pathlib import Path

from creditwh.dagster_storage import open_instance
from creditwh.definitions import defs

job = defs.resolve_job_def("warehouse_refresh")
for attempt in range(2):
    home = Path(tempfile.mkdtemp())
    with open_instance(home) as instance:
        t = time.perf_counter()
        run = instance.create_run_for_job(job_def=job, run_config={})
        t1 = time.perf_counter()
        for i in range(1000):
            instance.report_engine_event(f"event {i}", run)
        t2 = time.perf_counter()
        n = len(instance.all_logs(run.run_id))
    print(f"attempt {attempt}: create_run {t1-t:.2f} s, 1000 engine events {t2-t1:.2f} s, {n} events stored")
