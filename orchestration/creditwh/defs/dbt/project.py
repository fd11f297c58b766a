"""The dbt project, described once for dagster-dbt. No @dbt_assets here, so it can be prepared on
its own (`dagster-dbt project prepare-and-package --file` this module)."""

from __future__ import annotations

from dagster_dbt import DbtProject

from creditwh.dbt_project import parse_project
from creditwh.rules import DBT_PROJECT_DIR

DBT_PROJECT = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
# What DBT_PROJECT.prepare_if_dev() does under `dagster dev`, with this environment's dbt given by
# path: dagster-dbt's own preparer would look `dbt` up on PATH.
if DBT_PROJECT.preparer.using_dagster_dev():
    parse_project()
