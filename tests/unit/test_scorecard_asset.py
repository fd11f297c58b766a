"""The scorecard asset sits below every mart the scorecard reads, so Dagster's lineage is true."""

from __future__ import annotations

import re
from pathlib import Path

import creditwh
from creditwh.defs.scorecards.assets import MARTS_READ


def test_the_scorecard_asset_depends_on_the_marts_the_scorecard_reads():
    build = (Path(creditwh.__file__).parent / "scorecard" / "build.py").read_text(encoding="utf-8")
    read = set(re.findall(r"\bmarts\.(\w+)", build))
    assert {key.path[-1] for key in MARTS_READ} == read
