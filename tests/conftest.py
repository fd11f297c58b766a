"""Shared set-up: the dbt manifest is built once, before any test module imports the definitions."""

from __future__ import annotations


def pytest_sessionstart(session):
    # At session start, not in a fixture: collecting a module that imports creditwh.definitions
    # already needs target/manifest.json (a fresh clone has none).
    from creditwh.dbt_project import ensure_manifest

    ensure_manifest()
