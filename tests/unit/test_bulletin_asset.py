"""The bulletin asset sits below every mart the bulletin reads, so Dagster's lineage is true; its partitions
are months keyed like the command line's --month (materialising one: tests/unit/test_bulletin.py)."""

from __future__ import annotations

import re
from pathlib import Path

import creditwh
from creditwh.defs.bulletins.assets import MARTS_READ
from creditwh.defs.bulletins.partitions import MONTHS
from creditwh.scorecard.build import IN_SELECTED_REGION


def test_the_bulletin_asset_depends_on_the_marts_the_bulletin_reads():
    build = (Path(creditwh.__file__).parent / "bulletin" / "build.py").read_text(encoding="utf-8")
    read = set(re.findall(r"\bmarts\.(\w+)", build + IN_SELECTED_REGION))  # the region selection is the scorecard's
    assert {key.path[-1] for key in MARTS_READ} == read


def test_partitions_are_months_keyed_like_the_command_line():
    keys = MONTHS.get_partition_keys()
    assert keys[:2] == ["2025-01", "2025-02"] and "2026-03" in keys  # from evaluation_first_quarter 2025Q1
    assert keys[-1] == "2026-12"  # the last month the holiday calendar holds
