"""The extract contract (var extract_contract of dbt_project.yml) is the one place of the staging
renames, identities, R flags and PII columns: a change there reaches landing and staging alike."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from creditwh.landing.contract import load_contract, map_header
from creditwh.rules import DBT_PROJECT_DIR

# one new column of each kind of fact the base models generate: a plain text column marked R,
# and a resident identity number (PII)
NEW_COLUMNS = [
    {"name": "许可附件名称", "staging": "attachment_name", "required": True},
    {"name": "经办人证件号码", "staging": "handler_id", "pii": True},
]


def _changed_contract(doc: dict) -> None:
    license_ = doc["vars"]["extract_contract"]["kinds"]["license"]
    license_["columns"].extend(NEW_COLUMNS)
    for column in license_["columns"]:
        if isinstance(column, dict) and column["name"] == "许可证书名称":
            column["required"] = True  # an R flag turned on
    license_["identity"].append("许可编号")


@pytest.fixture(scope="module")
def changed_project(tmp_path_factory) -> Path:
    """A copy of the dbt project whose contract differs from the real one, SQL untouched."""
    project = tmp_path_factory.mktemp("contract") / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    dbt_project_yml = project / "dbt_project.yml"
    doc = yaml.safe_load(dbt_project_yml.read_text(encoding="utf-8"))
    _changed_contract(doc)
    dbt_project_yml.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def compiled_license(changed_project) -> str:
    env = {**os.environ, "CREDIT_WAREHOUSE": str(changed_project.parent / "compile.duckdb")}
    dbt = Path(sys.executable).with_name("dbt")
    subprocess.run([str(dbt), "compile", "--select", "base_extracts__license", "--project-dir", str(changed_project),
                    "--profiles-dir", str(changed_project)], check=True, env=env, capture_output=True)
    compiled = changed_project / "target/compiled/creditwh/models/staging/extracts/base/base_extracts__license.sql"
    return compiled.read_text(encoding="utf-8")


def test_the_real_contract_has_not_the_changes():
    license_ = load_contract()["license"]
    assert "许可证书名称" not in license_.required
    assert "许可附件名称" not in license_.column_names
    assert "许可编号" not in license_.identity


def test_landing_reads_the_changed_contract(changed_project):
    license_ = load_contract(changed_project)["license"]
    mapping = map_header(license_, load_contract()["license"].column_names)
    assert mapping.problem == "MISSING_REQUIRED_COLUMNS: 许可附件名称"
    assert "许可证书名称" in license_.required
    assert license_.pii_columns[-1] == "经办人证件号码"


def test_a_new_column_is_renamed_in_staging(compiled_license):
    assert '"许可附件名称" AS attachment_name' in compiled_license


def test_a_new_identity_number_is_staged_by_key_and_mask(compiled_license):
    for part in ("key", "masked", "is_ric"):
        assert f'"经办人证件号码_{part}" AS handler_id_{part}' in compiled_license
    assert '"经办人证件号码" AS' not in compiled_license  # never the plaintext


@pytest.mark.parametrize("column", ["attachment_name", "certificate_name"])
def test_an_r_flag_is_a_missing_check(compiled_license, column):
    assert f"coalesce({column} IS NULL, false) THEN 'MISSING:{column}'" in compiled_license


def test_the_identity_is_the_contracts(compiled_license):
    assert "source_dept_code is not null and doc_no is not null and license_no is not null as has_identity" \
        in compiled_license
    assert "concat_ws('|', source_dept_code, doc_no, license_no)" in compiled_license
