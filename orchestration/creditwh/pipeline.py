"""Materialise the whole asset graph in process — what `creditwh run` and the tests do — recording
the run in the warehouse's Dagster home, where `./dev ui` (dagster dev) shows it."""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass, field

from creditwh.dbt_project import ensure_manifest
from creditwh.warehouse.dagster_home import prepare_dagster_home
from creditwh.warehouse.settings import Settings


@dataclass
class RunReport:
    success: bool
    checks_passed: list[str] = field(default_factory=list)
    checks_failed: list[tuple[str, str]] = field(default_factory=list)  # (check, description)
    # failed with WARN severity: only non-blocking expectations failed (e.g. orphaned repairs),
    # reported without stopping anything
    checks_warned: list[tuple[str, str]] = field(default_factory=list)  # (check, description)
    steps_failed: list[tuple[str, str]] = field(default_factory=list)  # (step, error)
    steps_skipped: list[str] = field(default_factory=list)
    # a gate's failed expectations, one markdown line each (its "failures" metadata), by check
    gate_failures: dict[str, list[str]] = field(default_factory=dict)
    # wall seconds per executed step (landing, each dbt step, each gate, publication)
    step_seconds: dict[str, float] = field(default_factory=dict)
    run_id: str = ""  # the run in the Dagster home (settings.dagster_home)

    @property
    def ok(self) -> bool:
        return self.success and not self.checks_failed


# the steps that build incrementally, and take `full_refresh` in their config
INCREMENTAL_STEPS = ("land_extracts", "dbt_staging", "dbt_downstream")
PUBLISH_STEP = "published__marts"  # takes `allow_shrink` in its config
# Which process runs an in-process run: a run whose process died (kill -9, a power cut) is marked
# failed by the next, or the UI and the sensor would take it for running for ever.
PID_TAG, HOST_TAG = "creditwh/pid", "creditwh/host"


def materialize_all(settings: Settings, log_level: str = "INFO", full_refresh: bool = False,
                    allow_shrink: bool = False) -> RunReport:
    """Run the warehouse_refresh job on ``settings``, given whole as the warehouse resource's config:
    the run reads nothing from the environment, and writes nothing into it. The run, its events and
    logs are recorded in the settings' Dagster home, the instance `dagster dev` opens."""
    ensure_manifest()  # the definitions are built from it
    from creditwh.dagster_storage import open_instance

    with open_instance(prepare_dagster_home(settings)) as instance:
        fail_runs_of_dead_processes(instance)
        return _execute(instance, settings, log_level, full_refresh, allow_shrink)


def fail_runs_of_dead_processes(instance) -> list[str]:
    """Mark failed the runs still started whose process, on this machine, is gone; their ids."""
    import dagster as dg

    ours = dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED],
                         tags={HOST_TAG: socket.gethostname()})
    failed = []
    for record in instance.get_run_records(filters=ours):
        run = record.dagster_run
        if not _process_alive(int(run.tags[PID_TAG])):
            instance.report_run_failed(run, "its creditwh process ended before the run did (killed?)")
            failed.append(run.run_id)
    return failed


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _execute(instance, settings: Settings, log_level: str, full_refresh: bool, allow_shrink: bool) -> RunReport:
    from creditwh.definitions import defs

    job = defs.resolve_job_def("warehouse_refresh")
    job = job.with_logger_defs({**job.loggers, "progress": _progress_logger(job)})
    result = job.execute_in_process(
        instance=instance,
        raise_on_error=False,
        tags={PID_TAG: str(os.getpid()), HOST_TAG: socket.gethostname()},
        run_config={
            "resources": {"warehouse": {"config": settings.as_config()}},
            "loggers": {"console": {"config": {"log_level": log_level}}, "progress": {}},
            "ops": {**{step: {"config": {"full_refresh": full_refresh}} for step in INCREMENTAL_STEPS},
                    PUBLISH_STEP: {"config": {"allow_shrink": allow_shrink}}},
        },
    )
    return _report(result, instance)


def _report(result, instance) -> RunReport:
    """What the command line says of a run: its checks by outcome, failed and skipped steps, step times."""
    import dagster as dg

    report = RunReport(success=result.success, run_id=result.run_id)
    for check in result.get_asset_check_evaluations():
        name = f"{check.asset_key.to_user_string()}:{check.check_name}"
        if (failures := check.metadata.get("failures")) is not None and failures.value != "none":
            report.gate_failures[name] = failures.value.splitlines()
        if check.passed:
            report.checks_passed.append(name)
        elif check.severity == dg.AssetCheckSeverity.WARN:
            report.checks_warned.append((name, check.description or ""))
        else:
            report.checks_failed.append((name, check.description or ""))
    for event in result.all_events:
        if event.is_step_failure:
            report.steps_failed.append((event.step_key, _failure_message(event.step_failure_data)))
        elif event.is_step_skipped:
            report.steps_skipped.append(event.step_key)
    for stats in instance.get_run_step_stats(result.run_id):
        if stats.start_time is not None and stats.end_time is not None:
            report.step_seconds[stats.step_key] = round(stats.end_time - stats.start_time, 3)
    return report


def _failure_message(failure) -> str:
    """One line a user can act on: a Failure's description, else the innermost error's last line."""
    if failure.user_failure_data is not None and failure.user_failure_data.description:
        return failure.user_failure_data.description
    error = failure.error
    while error is not None and error.cause is not None:
        error = error.cause
    return error.message.strip().splitlines()[-1] if error else "unknown error"


def gate_phase(layer: str) -> str:
    """The progress phase a gate on a table of ``layer`` belongs to: the dbt step before it."""
    return f"gates {layer if layer in ('staging', 'public') else 'downstream'}"


def _progress_logger(job):
    """A Dagster logger that turns the gates' and the publication's step events into
    creditwh.progress reports (landing and dbt report their own, finer progress)."""
    import dagster as dg

    from creditwh import progress

    phase_of_step = {PUBLISH_STEP: "publication"}
    for key in job.asset_layer.asset_graph.asset_check_keys:
        if key.name.startswith("gx_"):  # the Great Expectations gates (defs/quality/checks.py)
            phase_of_step[f"{'__'.join(key.asset_key.path)}_{key.name}"] = gate_phase(key.asset_key.path[0])
    totals = {phase: list(phase_of_step.values()).count(phase) for phase in phase_of_step.values()}
    done = dict.fromkeys(totals, 0)

    class StepEvents(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            event = (getattr(record, "dagster_meta", None) or {}).get("dagster_event")
            phase = phase_of_step.get(getattr(event, "step_key", None))
            if phase is None:
                return
            if event.is_step_start:
                progress.report(phase, done[phase], totals[phase])
            elif event.is_step_success or event.is_step_failure or event.is_step_skipped:
                done[phase] += 1
                progress.report(phase, done[phase], totals[phase])

    @dg.logger(description="the gates' and the publication's progress, for creditwh run")
    def step_progress(_init_context) -> logging.Logger:
        logger = logging.Logger("creditwh.step_progress", level=logging.DEBUG)
        logger.addHandler(StepEvents())
        return logger

    return step_progress
