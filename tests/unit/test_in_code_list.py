"""The dbt generic test `in_code_list` (dbt_project/tests/generic/): a rule seed names a code list of
seeds/code_lists.csv instead of copying its codes, and a code outside the list fails the build."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from creditwh.rules import DBT_PROJECT_DIR

DBT = Path(sys.executable).parent / "dbt"


def _build_severity_mapping(project: Path, warehouse: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "CREDIT_WAREHOUSE": str(warehouse), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    return subprocess.run(
        [str(DBT), "build", "--project-dir", str(project), "--profiles-dir", str(project),
         "--select", "code_lists", "code_list_rules", "penalty_severity_by_category",
         "--indirect-selection", "cautious"],  # not the tests of the other seeds that read code_lists
        cwd=project, env=env, capture_output=True, text=True, timeout=600)


def test_a_severity_outside_the_code_list_fails_the_seeds_test(tmp_path):
    project = tmp_path / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs", ".user.yml"))

    passed = _build_severity_mapping(project, tmp_path / "good.duckdb")
    assert passed.returncode == 0, passed.stdout[-2000:]
    assert "PASS in_code_list_penalty_severity_by_category_severity" in passed.stdout

    with (project / "seeds" / "penalty_severity_by_category.csv").open("a", encoding="utf-8") as fh:
        fh.write("2025-09-01,警告,很严重,2\n")  # 很严重 is no 失信程度 of seeds/code_lists.csv
    failed = _build_severity_mapping(project, tmp_path / "bad.duckdb")
    assert failed.returncode != 0
    assert "FAIL 1 in_code_list_penalty_severity_by_category_severity" in failed.stdout
