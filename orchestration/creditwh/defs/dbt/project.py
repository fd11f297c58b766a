"""The dbt project, described once. No @dbt_assets here, so it can be prepared on its own
(`dagster-dbt project prepare-and-package --file` this module)."""

from __future__ import annotations

import functools
import json
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


def project_source_files() -> list[Path]:
    """Every file the project's SQL is made of: models, macros, seeds and dbt_project.yml."""
    files = sorted(p for d in ("models", "macros", "seeds") for p in (DBT_PROJECT_DIR / d).rglob("*") if p.is_file())
    return files + [DBT_PROJECT_DIR / "dbt_project.yml"]


def ensure_manifest() -> None:
    """Build target/manifest.json when it is missing or older than the project's files.

    Called by the CLI and the tests before the definitions load, never at import time.
    """
    manifest = DBT_PROJECT.manifest_path
    sources = project_source_files()
    if manifest.exists() and manifest.stat().st_mtime >= max(p.stat().st_mtime for p in sources) \
            and _is_complete_json(manifest):
        return
    DBT_PROJECT.preparer.prepare(DBT_PROJECT)


def _is_complete_json(path: Path) -> bool:
    """False for a manifest a killed `dbt parse` left half-written."""
    try:
        _parsed_nodes(path, path.stat().st_mtime_ns)
    except (ValueError, KeyError):
        return False
    return True


def manifest_nodes() -> tuple[dict, ...]:
    """Every node of target/manifest.json (models, seeds, tests, ...), parsed once per version of the
    file: the quality checks and the publication's comments read the same parse."""
    path = DBT_PROJECT.manifest_path
    return _parsed_nodes(path, path.stat().st_mtime_ns)


@functools.cache
def _parsed_nodes(path: Path, mtime_ns: int) -> tuple[dict, ...]:
    return tuple(json.loads(path.read_bytes())["nodes"].values())


_GUARD = '''#!{python}
# Written by creditwh (defs/dbt/project.py): runs dbt so that it dies with the process that
# started it. A run killed with SIGKILL must not leave dbt writing the warehouse on its own.
import ctypes, os, signal, sys
parent = os.getppid()
try:
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
except (AttributeError, OSError):
    pass
if os.getppid() != parent:  # the parent died before the death signal was armed
    sys.exit("creditwh: the process that started dbt has exited")
os.execv({dbt!r}, [{dbt!r}, *sys.argv[1:]])
'''


def guarded_dbt_executable() -> str:
    """The dbt executable the resources use: on Linux a wrapper that ties dbt's life to its
    parent's (prctl PR_SET_PDEATHSIG), elsewhere this environment's dbt itself."""
    dbt = str(Path(sys.executable).parent / "dbt")
    if not sys.platform.startswith("linux"):
        return dbt
    text = _GUARD.format(python=sys.executable, dbt=dbt)
    path = DBT_PROJECT_DIR / "target" / "creditwh-dbt"
    try:
        if path.read_text(encoding="utf-8") == text:
            return str(path)
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.chmod(0o755)
    os.replace(tmp, path)
    return str(path)
