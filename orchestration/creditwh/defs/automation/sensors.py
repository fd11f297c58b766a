"""Notice new or changed extract files in the raw directory and rebuild the warehouse."""

from __future__ import annotations

import hashlib

import dagster as dg

from creditwh.defs.automation.jobs import quarterly_evaluation_job, warehouse_refresh_job
from creditwh.defs.resources import WarehouseResource
from creditwh.landing.files import discover
from creditwh.warehouse.lock import describe_holder, is_locked
from creditwh.warehouse.settings import Settings

WAREHOUSE_JOBS = (warehouse_refresh_job.name, quarterly_evaluation_job.name)


def raw_directory_fingerprint(settings: Settings) -> tuple[str, int]:
    """A digest of the path, size and modification time of every file landing would see, and
    the number of files."""
    digest = hashlib.sha256()
    files = discover(settings.raw_dir) if settings.raw_dir.is_dir() else []
    for delivered in files:  # discovery's stat: a dangling link or a FIFO has none, and is not opened
        digest.update(f"{delivered.rel_path}\0{delivered.size_bytes}\0{delivered.mtime_ns}\n".encode())
    return digest.hexdigest(), len(files)


@dg.sensor(
    job=warehouse_refresh_job,
    minimum_interval_seconds=60,
    description="New extracts in CREDIT_RAW_DIR (or raw_samples/): rebuild the warehouse.",
)
def raw_files_sensor(context: dg.SensorEvaluationContext, warehouse: WarehouseResource):
    settings = warehouse.settings()
    fingerprint, file_count = raw_directory_fingerprint(settings)
    if fingerprint == context.cursor:
        return dg.SkipReason("no new or changed files in the raw directory")
    holder = is_locked(settings.warehouse_dir)
    if holder is not None:  # e.g. `creditwh run` from the command line
        return dg.SkipReason(f"the warehouse is locked ({describe_holder(holder)}); new files are picked up after")
    # One writer at a time: wait (keeping the cursor) until the running rebuild is done.
    active = context.instance.get_run_records(
        filters=dg.RunsFilter(job_name=None, statuses=[dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.STARTING,
                                                       dg.DagsterRunStatus.STARTED]),
        limit=10,
    )
    if any(record.dagster_run.job_name in WAREHOUSE_JOBS for record in active):
        return dg.SkipReason("a warehouse run is in progress; new files are picked up when it is done")
    context.update_cursor(fingerprint)
    return dg.RunRequest(run_key=fingerprint, tags={"creditwh/raw_files": str(file_count)})
