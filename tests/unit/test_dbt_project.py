"""The dbt manifest the definitions load is rebuilt when a killed `dbt parse` left it half-written."""

from __future__ import annotations

import json
import shutil

from creditwh import dbt_project
from creditwh.dbt_project import ensure_manifest


def test_a_truncated_manifest_is_rebuilt(tmp_path, monkeypatch):
    # a copy of target/, not the project's own: runs of other tests (pytest-xdist) read that manifest meanwhile
    target = tmp_path / "target"
    target.mkdir()
    manifest = target / dbt_project.MANIFEST_PATH.name
    shutil.copyfile(dbt_project.MANIFEST_PATH, manifest)
    monkeypatch.setattr(dbt_project, "TARGET_DIR", target)
    monkeypatch.setattr(dbt_project, "MANIFEST_PATH", manifest)
    whole = manifest.read_bytes()
    manifest.write_bytes(whole[: len(whole) // 2])  # newer than every source, and not JSON

    ensure_manifest()

    assert "creditwh" in json.loads(manifest.read_bytes())["metadata"]["project_name"]
