"""Each dbt step hands its parse state to the next, so only a run's first step parses the whole
project (the state `dbt parse` leaves never matches a run's --vars and warehouse path)."""

from __future__ import annotations

from types import SimpleNamespace

from creditwh.defs.dbt import assets


def _project_at(tmp_path, monkeypatch):
    project_dir = tmp_path / "dbt_project"
    (project_dir / "target").mkdir(parents=True)
    monkeypatch.setattr(assets, "DBT_PROJECT", SimpleNamespace(project_dir=project_dir))
    return project_dir / "target" / "partial_parse.msgpack"


def test_a_steps_parse_state_becomes_the_next_steps(tmp_path, monkeypatch):
    shared = _project_at(tmp_path, monkeypatch)
    shared.write_bytes(b"parsed by dbt parse, other vars")
    invocation_target = tmp_path / "dbt_staging-run"
    invocation_target.mkdir()
    (invocation_target / "partial_parse.msgpack").write_bytes(b"parsed with this run's vars")

    assets._keep_parse_state(invocation_target)

    assert shared.read_bytes() == b"parsed with this run's vars"
    assert [p.name for p in shared.parent.iterdir()] == ["partial_parse.msgpack"]  # no temporary file left


def test_a_step_without_parse_state_leaves_the_shared_one(tmp_path, monkeypatch):
    shared = _project_at(tmp_path, monkeypatch)
    shared.write_bytes(b"parsed earlier")
    invocation_target = tmp_path / "dbt_public-run"
    invocation_target.mkdir()

    assets._keep_parse_state(invocation_target)

    assert shared.read_bytes() == b"parsed earlier"
