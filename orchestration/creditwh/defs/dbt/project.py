"""The dbt project, described once. No @dbt_assets here, so it can be prepared on its own
(`dagster-dbt project prepare-and-package --file` this module)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from dagster_dbt import DbtProject

from creditwh.rules import DBT_PROJECT_DIR

# dagster-dbt looks for `dbt` on PATH; use this environment's, activated or not.
_ENV_BIN = str(Path(sys.executable).parent)
if _ENV_BIN not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _ENV_BIN + os.pathsep + os.environ.get("PATH", "")

DBT_PROJECT = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
DBT_PROJECT.prepare_if_dev()


def ensure_manifest() -> None:
    """Build target/manifest.json when it is missing or older than the project's files.

    Called by the CLI and the tests before the definitions load, never at import time.
    """
    manifest = DBT_PROJECT.manifest_path
    sources = [p for d in ("models", "macros", "seeds") for p in (DBT_PROJECT_DIR / d).rglob("*") if p.is_file()]
    sources.append(DBT_PROJECT_DIR / "dbt_project.yml")
    if manifest.exists() and manifest.stat().st_mtime >= max(p.stat().st_mtime for p in sources):
        return
    DBT_PROJECT.preparer.prepare(DBT_PROJECT)
