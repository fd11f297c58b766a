"""`dbt build` in the step's own process (dbt's programmatic dbtRunner), not in a child process.

A dbt process pays its start before it builds anything: dbt's imports, its adapter registered, its
saved parse read (about 5 s on the reference machine), three times a run. In the step's process dbt
is imported once and each later step starts at its parse. The events are dbt's own (the dicts its
JSON log would print), turned into Dagster's by dagster-dbt as for a dbt process; a run killed
takes dbt with it.

Where dagster-dbt's DbtCliResource.cli() would start dbt, this module does what it does before
(the step's dbt selection, from the assets picked) with dagster-dbt's own functions."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource
from dagster_dbt.asset_utils import extract_runtime_selection_from_args, get_updated_cli_invocation_params_for_context
from dagster_dbt.core.dbt_cli_event import DbtCoreCliEventMessage

# the events dagster-dbt turns into materializations and check results (DbtCoreCliEventMessage.is_result_event)
RESULT_EVENTS = frozenset({"LogSeedResult", "LogModelResult", "LogSnapshotResult", "LogTestResult"})
BUILT_EVENTS = frozenset({"LogSeedResult", "LogModelResult", "LogSnapshotResult"})
SHOWN_LEVELS = frozenset({"info", "warn", "error"})  # what dbt prints by default


@dataclass
class InProcessInvocation:
    """What a dbt step needs of a finished `dbt build`: its result events, the messages of its error
    events by node (unique_id), and whether it succeeded."""

    manifest: Mapping[str, Any]
    dagster_dbt_translator: DagsterDbtTranslator
    project: Any
    target_path: Path
    result_events: list[DbtCoreCliEventMessage] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)
    success: bool = False

    def asset_events(self, context: dg.AssetExecutionContext) -> Iterator:
        """Dagster's events for dbt's results, as dagster-dbt makes them from a dbt process's output."""
        for event in self.result_events:
            yield from event.to_default_asset_events(manifest=self.manifest,
                                                     dagster_dbt_translator=self.dagster_dbt_translator,
                                                     context=context, target_path=self.target_path,
                                                     project=self.project)


def build(dbt: DbtCliResource, args: Sequence[str], *, context: dg.AssetExecutionContext, target_path: Path,
          on_built: Callable[[], None] = lambda: None) -> InProcessInvocation:
    """Run dbt ``args`` (a `build` with its flags) on the step's assets, in this process; on_built is
    called as each model or seed is built. dbt's messages are printed as a dbt process prints them."""
    from dbt.cli.main import dbtRunner  # a few seconds, paid by the first dbt step of a process only
    from dbt_common.events.functions import msg_to_dict

    cleaned, selects, excludes = extract_runtime_selection_from_args(args)
    params = get_updated_cli_invocation_params_for_context(
        context=context, manifest={}, dagster_dbt_translator=DagsterDbtTranslator(),
        runtime_selects=selects, runtime_excludes=excludes)
    project_dir = Path(params.dbt_project.project_dir) if params.dbt_project else Path(dbt.project_dir)
    invocation = InProcessInvocation(manifest=params.manifest, dagster_dbt_translator=params.dagster_dbt_translator,
                                     project=params.dbt_project, target_path=target_path)

    def on_event(message) -> None:
        info = message.info
        if info.level in SHOWN_LEVELS:
            sys.stdout.write(info.msg + "\n")
        node_info = getattr(message.data, "node_info", None)
        unique_id = node_info.unique_id if node_info is not None else ""
        if not unique_id:
            return
        if info.level == "error" and info.name != "LogModelResult":
            invocation.errors.setdefault(unique_id, []).append(info.msg or "")
        if info.name in RESULT_EVENTS and not unique_id.startswith("unit_test"):
            invocation.result_events.append(DbtCoreCliEventMessage(raw_event=msg_to_dict(message),
                                                                   event_history_metadata={}))
            if info.name in BUILT_EVENTS:
                on_built()

    command = [*cleaned, *params.selection_args,
               *(["--indirect-selection", params.indirect_selection] if params.indirect_selection else []),
               "--project-dir", str(project_dir), "--profiles-dir", str(dbt.profiles_dir or project_dir),
               "--target-path", str(target_path), "--log-path", str(target_path),
               # dbt's own printing off: on_event prints what it would, and keeps the events
               "--log-level", "none", "--no-send-anonymous-usage-stats"]
    described = f"`dbt {' '.join(command)}`"  # the log's lines of dagster-dbt's, which readers look for
    context.log.info(f"Running dbt command (in process): {described}.")
    try:
        result = dbtRunner(callbacks=[on_event]).invoke(command)
    finally:
        sys.stdout.flush()
        _close_warehouse()
    context.log.info(f"Finished dbt command (in process): {described}.")
    invocation.success = bool(result.success)
    if result.exception is not None:
        invocation.errors.setdefault("dbt", []).append(str(result.exception))
    return invocation


def _close_warehouse() -> None:
    """Close the warehouse file dbt-duckdb keeps open after a build (its profile's keep_open is true by
    default): DuckDB refuses a process a second connection to an open file under another configuration,
    and the step reads the warehouse next, read-only. The next build opens it again."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        if DuckDBConnectionManager._ENV is not None:
            DuckDBConnectionManager._ENV.close()
            DuckDBConnectionManager._ENV = None
