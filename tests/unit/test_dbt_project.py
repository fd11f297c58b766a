"""The dbt manifest the definitions load is rebuilt when a killed `dbt parse` left it half-written."""

from __future__ import annotations

import json

from creditwh.dbt_project import MANIFEST_PATH, ensure_manifest


def test_a_truncated_manifest_is_rebuilt():
    manifest = MANIFEST_PATH
    whole = manifest.read_bytes()
    manifest.write_bytes(whole[: len(whole) // 2])  # newer than every source, and not JSON

    ensure_manifest()

    assert "creditwh" in json.loads(manifest.read_bytes())["metadata"]["project_name"]
