"""The benchmark keeps working: at a tiny size, one command fills every row of issue 20's table; the
pipeline, the floor (in one pass and step by step) and pandas agree on the scorecard; each step has
its floor beside it; and the warehouse equals a full rebuild after a monthly batch, after a daily
batch and after a change of the as-of date alone."""

from __future__ import annotations

import re
import sys

import pytest

from creditwh.warehouse.settings import REPO_ROOT

ISSUE_MEASURES = [
    "full build, 1,000 records: pipeline / hand-written DuckDB floor",
    "pandas baseline / pipeline, 1,000",
    "a monthly batch of 1 % on 1,000 records, incremental / full rebuild",
    "a daily batch of 0.1 % on 1,000 records",
    "a change of as-of date alone on 1,000 records, incremental / full rebuild",
    "peak RSS of the whole process tree, 1,000",
]
STEPS_WITH_A_FLOOR = ["land_extracts", "dbt_staging", "dbt_downstream", "gates", "published__marts"]


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> str:
    sys.path.insert(0, str(REPO_ROOT / "bench"))
    try:
        import run_bench

        out = tmp_path_factory.mktemp("bench") / "RESULTS.md"
        work = out.parent / "work"
        assert run_bench.main(["--records", "1000", "--work", str(work), "--out", str(out)]) == 0
    finally:
        sys.path.remove(str(REPO_ROOT / "bench"))
    return out.read_text(encoding="utf-8")


def test_every_measure_of_the_issue_has_a_row(results):
    for measure in ISSUE_MEASURES:
        assert f"| {measure} |" in results, measure


def test_floor_floor_by_step_and_pandas_agree_with_the_pipeline(results):
    for name in ("floor", "floor by step", "pandas"):
        assert re.search(rf"^\| 1,000 \| {name} \|.*\| yes \|$", results, re.MULTILINE), name


def test_each_step_is_beside_its_floor(results):
    for step in STEPS_WITH_A_FLOOR:
        assert re.search(rf"^\| {step} \| [\d.]+ \| [\d.]+ \| [\d.]+ \|$", results, re.MULTILINE), step


def test_the_warehouse_equals_a_rebuild_after_each_batch_and_the_as_of_change(results):
    batches = re.findall(r"^\| 1,000 \| (a monthly batch|a daily batch|the as-of date alone).*\| (\S+) \|$",
                         results, re.MULTILINE)
    assert batches == [("a monthly batch", "yes"), ("a daily batch", "yes"), ("the as-of date alone", "yes")]
