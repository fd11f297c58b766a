"""Warehouses that several end-to-end modules read, built once per session."""

from __future__ import annotations

import pytest

from .cli_runs import built_by_cli


@pytest.fixture(scope="session")
def cli_build_of_12_penalties(tmp_path_factory):
    """(raw dir, warehouse) after a `creditwh run` of the registry and 12 penalties: read as built by
    test_bi_clients, copied by test_serving (copy_of_build) to run again."""
    return built_by_cli(tmp_path_factory, "cli12", 12)
