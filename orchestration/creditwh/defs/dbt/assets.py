"""dbt models as assets, split where the quality gates sit: staging, then (after the
Great Expectations gates on staging) intermediate, audit and marts, then (after the gates on
the marts) public, the schema the credit website publishes."""


import json
import os
import re
import shutil
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
from dagster_dbt import DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets
from pydantic import Field

from creditwh import progress
from creditwh.defs.dbt import in_process
from creditwh.defs.dbt.project import DBT_PROJECT
from creditwh.defs.dbt.translator import LayeredTranslator
from creditwh.defs.resources import WarehouseResource
from creditwh.quality.background_import import import_great_expectations_in_the_background
from creditwh.warehouse import build_state
from creditwh.warehouse.settings import Settings

TRANSLATOR = LayeredTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))
STAGING_SELECT = "resource_type:seed fqn:creditwh.staging"
DOWNSTREAM_SELECT = "fqn:creditwh.intermediate fqn:creditwh.audit fqn:creditwh.marts"
# public is built in a step of its own, so that a failing blocking gate on a mart it reads
# (marts.fct_penalty_publication) stops it: nothing reaches the website from a failed mart.
PUBLIC_SELECT = "fqn:creditwh.public"
# dbt's unit tests check the SQL on fixtures, not the data: the same for every run, they are run by
# the test suite (tests/unit/test_dbt_unit_tests.py), not by each build (5 s of every run). The data
# tests stay in every build.
PRODUCTION_ONLY = ["--exclude-resource-type", "unit_test"]
# The data tests of the seeds (dbt_project/seeds/*.yml), about 80 of the staging step's nodes. The seeds
# themselves are loaded on every build: a step that yields no seed asset has Dagster skip every step after.
SEED_TESTS = "resource_type:test,path:seeds"
PARSE_STATE = "partial_parse.msgpack"  # dbt's saved parse of the project, in a target folder


class IncrementalBuildConfig(dg.Config):
    full_refresh: bool = Field(
        default=False,
        description="Rebuild this step's incremental tables from every landed row (creditwh run --full-refresh). "
                    "Done anyway when the dbt project changed since the step's last build.",
    )


def _dbt_build(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource,
               incremental_config: IncrementalBuildConfig | None = None):
    """`dbt build` of the step's selection. With an incremental_config, the step's incremental models
    build on what it built before, unless asked or its project changed (creditwh/warehouse/build_state.py)."""
    with warehouse.writing(context, "dbt") as settings:
        yield from _dbt_build_locked(context, dbt, warehouse, settings, incremental_config)


def dbt_vars(settings: Settings) -> dict[str, str]:
    """What dbt is given of the run's settings as --vars: the warehouse file and memory bound
    profiles.yml reads. The file is named by its name alone, and dbt runs in its folder (given in
    dbt_environment): dbt keeps its saved parse of the project only while the profile and --vars stay
    the same, so one parse serves every warehouse of that name (each test's, each bench's) instead of
    each new one parsing the whole project again; and from run to run, both stay the same."""
    return {"warehouse_path": settings.warehouse_path.name, "duckdb_memory_limit": settings.duckdb_memory_limit}


def dbt_environment(settings: Settings) -> dict[str, str]:
    """What dbt is given of the run's settings in its environment: the as-of date its models read
    (macros/as_of_date.sql), a new one most days, read only when dbt executes a model; and the
    warehouse's folder, where dbt runs (the step changes to it; creditwh's dbt launcher, for dbt run by
    hand as a step runs it, creditwh/dbt_project.py)."""
    return {"CREDIT_AS_OF": settings.as_of.isoformat(), "CREDIT_DBT_WORKING_DIR": str(dbt_working_directory(settings))}


def dbt_working_directory(settings: Settings) -> Path:
    """Where dbt runs: the warehouse's folder, as dbt is given the file by its name (dbt_vars)."""
    return settings.warehouse_path.parent


@contextmanager
def _environment(values: Mapping[str, str]) -> Iterator[None]:
    """os.environ with ``values`` while dbt builds: dbt reads its env_var()s there. The step's process
    runs one dbt at a time."""
    before = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextmanager
def _working_directory(folder: Path) -> Iterator[None]:
    """The process in ``folder`` while dbt builds: profiles.yml names the warehouse file by its name."""
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def dbt_build_args(settings: Settings) -> list[str]:
    """The `dbt build` command line of a step, before its selection."""
    # plain text: dbt's lines go to the run's log file (creditwh run) and the Dagster event log.
    # --no-write-json: nothing reads the invocation's manifest.json (written twice) or run_results.json,
    # about 1.3 s of every step; a failure is described from dbt's error events instead.
    # --log-level-file info: the dbt.log a failed invocation leaves keeps every message and error, not
    # each SQL statement at debug level (9 MB and ~0.5 s of the marts step at 1 M); the compiled SQL
    # stays in the invocation's target/run folder.
    return ["build", "--no-use-colors", "--no-write-json", "--log-level-file", "info",
            "--threads", str(settings.dbt_threads), *PRODUCTION_ONLY,
            "--vars", json.dumps(dbt_vars(settings))]


def _dbt_build_locked(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource,
                      settings: Settings, incremental_config: IncrementalBuildConfig | None):
    args = dbt_build_args(settings)
    if incremental_config is not None:
        step = context.op_def.name
        with warehouse.connect() as con:
            fingerprint = build_state.build_fingerprint(con)
            changed = build_state.needs_full_refresh(con, step, fingerprint)
        if incremental_config.full_refresh or changed:
            context.log.info("full refresh: " + ("requested" if incremental_config.full_refresh
                                                 else "the dbt project changed since the last build"))
            args.append("--full-refresh")
        else:
            # the seeds' data tests test project files: the build that recorded this fingerprint passed them
            args += ["--exclude", SEED_TESTS]
    # Row counts are read once dbt has finished and closed the warehouse (dagster-dbt's
    # fetch_row_counts() would query while it builds, and names the database by the file the
    # manifest was parsed against).
    target_path = DBT_PROJECT.project_dir / "target" / f"{context.op_def.name}-{context.run.run_id[:7]}-{uuid.uuid4().hex[:7]}"
    _seed_parse_state(settings, target_path)
    import_great_expectations_in_the_background()  # for the gates after this step, if no landing started it
    with _environment(dbt_environment(settings)), _working_directory(dbt_working_directory(settings)):
        invocation = in_process.build(dbt, args, context=context, target_path=target_path,
                                      on_built=_progress_reporter(context))
    events, errors = list(invocation.asset_events(context)), invocation.errors

    def schema_and_table(event) -> tuple[str, ...] | None:
        if isinstance(event, (dg.Output, dg.AssetMaterialization, dg.MaterializeResult)):
            key = getattr(event, "asset_key", None) or context.asset_key_for_output(event.output_name)
            return tuple(key.path[-2:])
        return None

    # The tables this step built, not its views: counting a view would compute it (a staging base
    # view is a full parse of its raw table).
    built = {schema_and_table(event) for event in events} - {None}
    with warehouse.connect(read_only=True) as con:
        tables = set(con.execute("SELECT schema_name, table_name FROM duckdb_tables() WHERE NOT temporary").fetchall())
        table_rows = {path: con.execute(f'SELECT count(*) FROM "{path[0]}"."{path[1]}"').fetchall()[0][0]
                      for path in built & tables}
    for event in events:
        if (rows := table_rows.get(schema_and_table(event))) is not None:
            event = event.with_metadata({**(event.metadata or {}), "dagster/row_count": rows})
        yield event
    if not invocation.success:
        raise dg.Failure(description=_failed_nodes(errors))
    if incremental_config is not None:
        with warehouse.connect() as con:
            build_state.record_fingerprint(con, step, fingerprint)
    _keep_parse_state(settings, invocation.target_path)
    # each invocation gets a target folder of its own; a failed one is kept for its logs
    shutil.rmtree(invocation.target_path, ignore_errors=True)


def _progress_reporter(context: dg.AssetExecutionContext):
    """What reports the step's models (and seeds) built, as dbt builds them."""
    step, total, built = context.op_def.name.replace("_", " "), len(context.selected_asset_keys), 0
    progress.report(step, built, total)

    def one_more_built() -> None:
        nonlocal built
        built += 1
        progress.report(step, built, total)
    return one_more_built


def parse_state_of(settings: Settings) -> Path:
    """The warehouse's own dbt parse state, beside it (``<warehouse>.dbt_parse.msgpack``).

    dbt keeps its parse of the project only while the profile and --vars stay the same, and they
    hold the warehouse file's name and memory bound (dbt_vars): a parse made for a warehouse named or
    bounded otherwise is thrown away by the next step that builds another. One state per warehouse
    keeps every step after a warehouse's first parse partial, whichever warehouse was built in between;
    the project's (the last written) starts a new warehouse, partially where the names agree."""
    return settings.warehouse_path.with_name(settings.warehouse_path.name + ".dbt_parse.msgpack")


def _seed_parse_state(settings: Settings, target_path: Path) -> None:
    """The warehouse's parse state into the invocation's target folder; without one (a new warehouse),
    the project's (target/partial_parse.msgpack), the last written; without that, none (dbt parses)."""
    for state in (parse_state_of(settings), DBT_PROJECT.project_dir / "target" / PARSE_STATE):
        if state.exists():
            target_path.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(state, target_path / PARSE_STATE)
            return


def _keep_parse_state(settings: Settings, target_path: Path) -> None:
    """Hand this invocation's parse state to the warehouse's next step and to the project: the
    project's is what a new warehouse starts from, and what `dbt` run by hand in dbt_project/ reads."""
    parsed = target_path / PARSE_STATE
    if parsed.exists():
        for kept in (parse_state_of(settings), DBT_PROJECT.project_dir / "target" / parsed.name):
            tmp = kept.with_name(f".{kept.name}.{os.getpid()}.tmp")
            shutil.copyfile(parsed, tmp)
            os.replace(tmp, kept)


# the lines of dbt's error events that only name the node or point at its compiled SQL
_NAMING_LINE = re.compile(r"^(Failure|[\w ]*Error) in \w+ \S+( \(.*\))?$|^compiled code at ")


def _failed_nodes(errors: Mapping[str, list[str]]) -> str:
    """The dbt nodes that errored or failed, each with the first line of dbt's messages that says why
    (the database's error, or the test's "Got 3 results, configured to fail if != 0")."""
    lines = []
    for unique_id, messages in errors.items():
        said = [line.strip() for message in messages for line in message.splitlines() if line.strip()]
        detail = next((line for line in said if not _NAMING_LINE.match(line)), said[0] if said else "error")
        name = unique_id.split(".")[2] if unique_id.count(".") >= 2 else unique_id  # test.creditwh.<name>.<hash>
        lines.append(f"{name}: {detail}")
    return "dbt build failed — " + " | ".join(lines) if lines else "dbt build failed"


@dbt_assets(manifest=DBT_PROJECT.manifest_path, select=STAGING_SELECT, dagster_dbt_translator=TRANSLATOR,
            name="dbt_staging")
def dbt_staging(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource,
                config: IncrementalBuildConfig):
    yield from _dbt_build(context, dbt, warehouse, incremental_config=config)


@dbt_assets(manifest=DBT_PROJECT.manifest_path, select=DOWNSTREAM_SELECT, dagster_dbt_translator=TRANSLATOR,
            name="dbt_downstream")
def dbt_downstream(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource,
                   config: IncrementalBuildConfig):
    yield from _dbt_build(context, dbt, warehouse, incremental_config=config)


@dbt_assets(manifest=DBT_PROJECT.manifest_path, select=PUBLIC_SELECT, dagster_dbt_translator=TRANSLATOR,
            name="dbt_public")
def dbt_public(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    yield from _dbt_build(context, dbt, warehouse)
