"""The benchmark keeps working: at a tiny size, pipeline, floor and pandas agree on the scorecard, and a
warehouse that took a monthly batch incrementally equals one rebuilt from scratch."""

from __future__ import annotations

import sys

from creditwh.warehouse.settings import REPO_ROOT


def test_benchmark_runs_and_the_three_agree(tmp_path):
    sys.path.insert(0, str(REPO_ROOT / "bench"))
    try:
        import run_bench

        out = tmp_path / "RESULTS.md"
        assert run_bench.main(["--records", "1000", "--work", str(tmp_path / "work"), "--out", str(out)]) == 0
    finally:
        sys.path.remove(str(REPO_ROOT / "bench"))
    results = out.read_text(encoding="utf-8")
    assert "| 1,000 | floor |" in results and "| 1,000 | pandas |" in results
    assert results.count("| yes |") == 3  # floor, pandas, and the incremental warehouse equals the rebuilt one
    assert "## A monthly batch of 1 %, incrementally" in results
