"""The Dagster home `creditwh run` and `./dev ui` share: made once with a dagster.yaml, never overwritten."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import dagster as dg

from creditwh.pipeline import HOST_TAG, PID_TAG, fail_runs_of_dead_processes
from creditwh.warehouse.dagster_home import prepare_dagster_home
from creditwh.warehouse.settings import REPO_ROOT, Settings


def test_the_home_is_made_with_an_instance_dagster_opens(tmp_path):
    settings = Settings.from_env({"CREDIT_WAREHOUSE": str(tmp_path / "wh" / "credit.duckdb")})
    home = prepare_dagster_home(settings)
    assert home == tmp_path / "wh" / "dagster_home"
    with dg.DagsterInstance.from_config(str(home)) as instance:
        assert instance.root_directory == str(home)
        assert instance.get_concurrency_config().run_queue_config.max_concurrent_runs == 1  # one writer


def test_an_existing_dagster_yaml_is_kept(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: true\n", encoding="utf-8")
    assert prepare_dagster_home(Settings.from_env({"DAGSTER_HOME": str(home)})) == home
    assert (home / "dagster.yaml").read_text(encoding="utf-8") == "telemetry:\n  enabled: true\n"


def test_the_ui_command_is_given_the_home_of_the_run(tmp_path):
    """`./dev ui` starts dagster dev with DAGSTER_HOME set to what this prints."""
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT / "orchestration"),
           "CREDIT_WAREHOUSE": str(tmp_path / "wh" / "credit.duckdb")}
    env.pop("DAGSTER_HOME", None)
    env.pop("CREDIT_DAGSTER_HOME", None)
    printed = subprocess.run([sys.executable, "-m", "creditwh.warehouse.dagster_home"], env=env, check=True,
                             capture_output=True, text=True).stdout
    assert printed.strip() == str(tmp_path / "wh" / "dagster_home")
    assert (tmp_path / "wh" / "dagster_home" / "dagster.yaml").is_file()


def test_a_run_whose_process_died_is_marked_failed_by_the_next(tmp_path):
    """A killed `creditwh run` leaves its run started in the home: the next run marks it failed, so the UI
    and raw_files_sensor (which waits while a warehouse run is in progress) do not wait for it for ever."""
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    home = prepare_dagster_home(Settings.from_env({"DAGSTER_HOME": str(tmp_path / "home")}))
    with dg.DagsterInstance.from_config(str(home)) as instance:
        killed, alive = (instance.add_run(dg.DagsterRun(
            job_name="warehouse_refresh", status=dg.DagsterRunStatus.STARTED,
            tags={PID_TAG: str(pid), HOST_TAG: socket.gethostname()})) for pid in (dead.pid, os.getpid()))
        assert fail_runs_of_dead_processes(instance) == [killed.run_id]
        assert instance.get_run_by_id(killed.run_id).status == dg.DagsterRunStatus.FAILURE
        assert instance.get_run_by_id(alive.run_id).status == dg.DagsterRunStatus.STARTED


def _two_asset_job():
    @dg.asset
    def first():
        return 1

    @dg.asset_check(asset=first)
    def first_is_one(first):
        return dg.AssetCheckResult(passed=first == 1)

    @dg.asset
    def second(first):
        return first + 1

    return dg.Definitions(assets=[first, second], asset_checks=[first_is_one]).resolve_implicit_global_asset_job_def()


def test_runs_are_recorded_through_one_connection_per_file_and_read_back_by_the_stock_storage(tmp_path, monkeypatch):
    from creditwh import dagster_storage

    kept_engines, connections = [], []
    real_create_engine, real_on_connect = dagster_storage.create_engine, dagster_storage._commit_without_fsync
    monkeypatch.setattr(dagster_storage, "create_engine", lambda url, **kwargs: (
        kwargs.get("poolclass") is dagster_storage.StaticPool and kept_engines.append(url)) or real_create_engine(url, **kwargs))
    monkeypatch.setattr(dagster_storage, "_commit_without_fsync", lambda dbapi_connection, record: (
        connections.append(dbapi_connection), real_on_connect(dbapi_connection, record)))
    home = prepare_dagster_home(Settings.from_env({"DAGSTER_HOME": str(tmp_path / "home")}))
    job = _two_asset_job()
    with dagster_storage.open_instance(home) as instance:
        assert isinstance(instance.event_log_storage, dagster_storage.SqliteEventLogStorageReusingEngines)
        runs = [job.execute_in_process(instance=instance).run_id for _ in range(2)]
        events = [len(instance.all_logs(run_id)) for run_id in runs]
    # the index and one per run, each written through one SQLite connection, whatever the number of writes
    assert min(events) > 10 and len(kept_engines) == len(set(kept_engines)) == 3
    assert len(connections) == len(set(map(id, connections))) == 3
    with dagster_storage.open_instance(home) as instance:
        with instance.event_log_storage._connect(runs[0]) as conn:  # a write's connection
            # 1 = NORMAL: a commit does not wait for an fsync (Dagster's default, FULL, is 2)
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    with dg.DagsterInstance.from_config(str(home)) as stock:  # what the UI opens
        assert [len(stock.all_logs(run_id)) for run_id in runs] == events
        assert stock.get_latest_materialization_event(dg.AssetKey("second")).run_id == runs[1]
        checks = stock.event_log_storage.get_asset_check_execution_history(
            dg.AssetCheckKey(dg.AssetKey("first"), "first_is_one"), limit=5)
        assert [c.run_id for c in checks] == runs[::-1]


def test_a_home_with_its_own_storage_is_opened_as_configured(tmp_path):
    from creditwh.dagster_storage import SqliteEventLogStorageReusingEngines, open_instance

    home = tmp_path / "home"
    home.mkdir()
    (home / "dagster.yaml").write_text(f"storage:\n  sqlite:\n    base_dir: {tmp_path / 'elsewhere'}\n", encoding="utf-8")
    with open_instance(home) as instance:
        assert not isinstance(instance.event_log_storage, SqliteEventLogStorageReusingEngines)
        assert str(tmp_path / "elsewhere") in instance.event_log_storage._base_dir
