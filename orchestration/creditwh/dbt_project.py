"""The dbt project as the warehouse's Python sees it, without Dagster: the files its SQL is made of,
its parsed manifest, and the dbt executable that runs it (given by path, never looked up on PATH).

The Dagster layer (defs/dbt/project.py) builds its DbtProject on these; the build state and the
publication read them directly."""

from __future__ import annotations

import fcntl
import functools
import json
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from creditwh.rules import DBT_PROJECT_DIR

TARGET_DIR = DBT_PROJECT_DIR / "target"
MANIFEST_PATH = TARGET_DIR / "manifest.json"


class DbtParseError(RuntimeError):
    """`dbt parse` failed: the project's YAML or SQL does not parse."""


def project_source_files() -> list[Path]:
    """Every file the project's SQL is made of: models, macros, seeds and dbt_project.yml."""
    files = sorted(p for d in ("models", "macros", "seeds") for p in (DBT_PROJECT_DIR / d).rglob("*") if p.is_file())
    return files + [DBT_PROJECT_DIR / "dbt_project.yml"]


def ensure_manifest() -> None:
    """Build target/manifest.json when it is missing or older than the project's files.

    Called by the command line and the tests before the definitions load, never at import time.
    Two processes starting at once parse once: the second finds the manifest the first wrote.
    """
    if _manifest_is_current():
        return
    with _parse_lock():
        if not _manifest_is_current():
            _parse()


def parse_project() -> None:
    """`dbt parse` now, whatever the manifest's age (`dagster dev` reparses at every load)."""
    with _parse_lock():
        _parse()


def _manifest_is_current() -> bool:
    return (MANIFEST_PATH.exists()
            and MANIFEST_PATH.stat().st_mtime >= max(p.stat().st_mtime for p in project_source_files())
            and _is_complete_json(MANIFEST_PATH))


@contextmanager
def _parse_lock():
    TARGET_DIR.mkdir(parents=True, exist_ok=True)
    fd = os.open(TARGET_DIR / ".parse.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the flock


def _parse() -> None:
    project = str(DBT_PROJECT_DIR)
    done = subprocess.run(
        [guarded_dbt_executable(), "parse", "--quiet", "--project-dir", project, "--profiles-dir", project,
         "--target-path", str(TARGET_DIR), "--log-path", str(TARGET_DIR)],
        cwd=project, capture_output=True, text=True,
    )
    if done.returncode != 0:
        raise DbtParseError(f"dbt parse failed in {project}: {(done.stdout + done.stderr).strip()}")


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
    return _parsed_nodes(MANIFEST_PATH, MANIFEST_PATH.stat().st_mtime_ns)


@functools.cache
def _parsed_nodes(path: Path, mtime_ns: int) -> tuple[dict, ...]:
    return tuple(json.loads(path.read_bytes())["nodes"].values())


_GUARD = '''#!{python}
# Written by creditwh (creditwh/dbt_project.py): runs dbt so that it dies with the process that
# started it (a run killed with SIGKILL must not leave dbt writing the warehouse on its own), in the
# folder of the warehouse it builds (CREDIT_DBT_WORKING_DIR): see creditwh/defs/dbt/assets.py, dbt_vars.
import ctypes, os, signal, sys
parent = os.getppid()
try:
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG (Linux)
except (AttributeError, OSError):
    pass
if os.getppid() != parent:  # the parent died before the death signal was armed
    sys.exit("creditwh: the process that started dbt has exited")
if os.environ.get("CREDIT_DBT_WORKING_DIR"):
    os.chdir(os.environ["CREDIT_DBT_WORKING_DIR"])
os.execv({dbt!r}, [{dbt!r}, *sys.argv[1:]])
'''


def guarded_dbt_executable() -> str:
    """The dbt every creditwh command runs: this environment's, whether or not the venv is
    activated, through a wrapper that ties dbt's life to its parent's (on Linux: prctl
    PR_SET_PDEATHSIG) and starts it in the folder CREDIT_DBT_WORKING_DIR names."""
    dbt = str(Path(sys.executable).parent / "dbt")
    text = _GUARD.format(python=sys.executable, dbt=dbt)
    path = TARGET_DIR / "creditwh-dbt"
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
