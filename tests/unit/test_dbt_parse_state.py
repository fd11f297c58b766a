"""Each dbt step hands its parse state to the warehouse's next step and to the project; a new
warehouse's first step starts from another warehouse's parse when their files have the same name
(dbt runs in the warehouse's folder and is given the file by its name); and a new as-of date, most
days' run, does not make dbt parse the whole project again."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

from creditwh.dbt_project import guarded_dbt_executable
from creditwh.defs.dbt import assets
from creditwh.rules import DBT_PROJECT_DIR
from creditwh.warehouse.settings import Settings


def _project_at(tmp_path, monkeypatch):
    project_dir = tmp_path / "dbt_project"
    (project_dir / "target").mkdir(parents=True)
    monkeypatch.setattr(assets, "DBT_PROJECT", SimpleNamespace(project_dir=project_dir))
    return project_dir / "target" / "partial_parse.msgpack"


def _warehouse(tmp_path, name: str) -> Settings:
    (tmp_path / name).mkdir(exist_ok=True)
    return Settings.from_env({"CREDIT_WAREHOUSE": str(tmp_path / name / "credit.duckdb"), "CREDIT_AS_OF": "2026-03-31"})


def _step_parsed(tmp_path, settings: Settings, step: str, parsed: bytes) -> None:
    invocation_target = tmp_path / step
    invocation_target.mkdir()
    (invocation_target / "partial_parse.msgpack").write_bytes(parsed)
    assets._keep_parse_state(settings, invocation_target)


def test_a_steps_parse_state_becomes_the_next_steps(tmp_path, monkeypatch):
    shared = _project_at(tmp_path, monkeypatch)
    shared.write_bytes(b"parsed by dbt parse, other vars")
    settings = _warehouse(tmp_path, "wh")

    _step_parsed(tmp_path, settings, "dbt_staging-run", b"parsed with this run's vars")

    assert shared.read_bytes() == b"parsed with this run's vars"
    assert assets.parse_state_of(settings).read_bytes() == b"parsed with this run's vars"
    assert [p.name for p in shared.parent.iterdir()] == ["partial_parse.msgpack"]  # no temporary file left
    assert sorted(p.name for p in (tmp_path / "wh").iterdir()) == ["credit.duckdb.dbt_parse.msgpack"]


def test_a_warehouses_steps_keep_its_parse_whatever_was_built_in_between(tmp_path, monkeypatch):
    """Two warehouses built at once (the test suite's two workers): each step starts from its own
    warehouse's parse, not from the other's, which dbt would throw away were the other named or
    memory-bounded otherwise (another profile or --vars)."""
    shared = _project_at(tmp_path, monkeypatch)
    first, second = _warehouse(tmp_path, "first"), _warehouse(tmp_path, "second")
    _step_parsed(tmp_path, first, "dbt_staging-first", b"parsed for the first warehouse")
    _step_parsed(tmp_path, second, "dbt_staging-second", b"parsed for the second warehouse")
    assert shared.read_bytes() == b"parsed for the second warehouse"

    next_step = tmp_path / "dbt_downstream-first"
    assets._seed_parse_state(first, next_step)
    assert (next_step / "partial_parse.msgpack").read_bytes() == b"parsed for the first warehouse"

    new_warehouse_step = tmp_path / "dbt_staging-third"  # none of its own: the project's, the last written
    assets._seed_parse_state(_warehouse(tmp_path, "third"), new_warehouse_step)
    assert (new_warehouse_step / "partial_parse.msgpack").read_bytes() == b"parsed for the second warehouse"


def test_a_step_with_no_parse_anywhere_leaves_dbt_to_parse(tmp_path, monkeypatch):
    _project_at(tmp_path, monkeypatch)
    step = tmp_path / "dbt_staging-first"
    assets._seed_parse_state(_warehouse(tmp_path, "first"), step)
    assert not step.exists()


def test_a_step_without_parse_state_leaves_the_shared_one(tmp_path, monkeypatch):
    shared = _project_at(tmp_path, monkeypatch)
    shared.write_bytes(b"parsed earlier")
    invocation_target = tmp_path / "dbt_public-run"
    invocation_target.mkdir()

    assets._keep_parse_state(_warehouse(tmp_path, "wh"), invocation_target)

    assert shared.read_bytes() == b"parsed earlier"


def _dbt_inline(settings: Settings, target: Path, sql: str, command: str = "compile") -> tuple[list[str], dict]:
    """`dbt compile` (or `dbt show`) of inline SQL as a run's dbt step is started: through creditwh's
    launcher, with the step's --vars and environment. dbt's event names, and the data of its event
    with the result (CompiledNode or ShowNode)."""
    compiled = subprocess.run(
        [guarded_dbt_executable(), command, "--inline", sql, *(["--output", "json"] if command == "show" else []),
         "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
         "--target-path", str(target), "--log-path", str(target), "--log-format", "json", "--log-level", "debug",
         "--vars", json.dumps(assets.dbt_vars(settings))],
        cwd=DBT_PROJECT_DIR, capture_output=True, text=True, timeout=600,
        env={**os.environ, **assets.dbt_environment(settings)},
    )
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr
    events = [json.loads(line) for line in compiled.stdout.splitlines() if line.startswith("{")]
    node = "CompiledNode" if command == "compile" else "ShowNode"
    return [e["info"]["name"] for e in events], next(e["data"] for e in events if e["info"]["name"] == node)


def test_a_new_as_of_date_keeps_dbts_parse_and_reaches_the_models(tmp_path, monkeypatch):
    monkeypatch.delenv("CREDIT_AS_OF", raising=False)
    env = {"CREDIT_WAREHOUSE": str(tmp_path / "credit.duckdb")}
    target = tmp_path / "target"
    as_of = "select {{ as_of_date() }} as as_of"
    _dbt_inline(Settings.from_env({**env, "CREDIT_AS_OF": "2026-03-31"}), target, as_of)

    # the next day's run: the same warehouse, another as-of date
    events, compiled = _dbt_inline(Settings.from_env({**env, "CREDIT_AS_OF": "2026-04-01"}), target, as_of)

    assert "PartialParsingSkipParsing" in events and "UnableToPartialParse" not in events, events
    assert compiled["compiled"] == "select DATE '2026-04-01' as as_of"


def test_another_warehouse_of_the_same_name_keeps_dbts_parse_and_is_the_file_dbt_opens(tmp_path, monkeypatch):
    monkeypatch.delenv("CREDIT_AS_OF", raising=False)
    target = tmp_path / "target"
    opened = "select path from duckdb_databases() where database_name = current_database()"
    first, second = (Settings.from_env({"CREDIT_WAREHOUSE": str(tmp_path / name / "credit.duckdb"),
                                        "CREDIT_AS_OF": "2026-03-31"}) for name in ("first", "second"))
    for settings in (first, second):
        settings.warehouse_path.parent.mkdir()
    _, shown = _dbt_inline(first, target, opened, command="show")
    assert json.loads(shown["preview"])[0]["path"] == str(first.warehouse_path)

    events, shown = _dbt_inline(second, target, opened, command="show")  # the test suite's next warehouse

    assert "PartialParsingSkipParsing" in events and "UnableToPartialParse" not in events, events
    assert json.loads(shown["preview"])[0]["path"] == str(second.warehouse_path)
    assert not (DBT_PROJECT_DIR / "credit.duckdb").exists()
