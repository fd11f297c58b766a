"""Shared fixtures: the dbt manifest is built once per session, before definitions load."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session", autouse=True)
def dbt_manifest():
    from creditwh.defs.dbt.project import ensure_manifest

    ensure_manifest()
