"""Run settings, read once from the environment (CREDIT_* variables of the contract, and DAGSTER_HOME).

``Settings.from_env`` is the one place that reads them: the command line reads them once and hands
the Settings to the run (as the warehouse resource's config); ``dagster dev`` takes them as the
resource's defaults. Nothing writes them back into the environment."""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

REPO_ROOT = Path(__file__).resolve().parents[3]
CHINA_TZ = ZoneInfo("Asia/Shanghai")

# Used only when CREDIT_PII_KEY is unset; the warning below makes that loud.
DEVELOPMENT_PII_KEY = "creditwh-development-key-do-not-use-in-production"

# DuckDB's own default is 80 % of RAM; a bound keeps a province-scale build, with the Python
# processes around it, inside 4 GB: sorts and joins past it spill to <warehouse>.tmp instead.
DEFAULT_DUCKDB_MEMORY_LIMIT = "2GB"

# dbt builds this many models (and runs this many tests) at once, in one DuckDB database that shares
# the memory bound above. Two keep both cores busy while one node's dbt bookkeeping (about 60 ms) or a
# small query leaves one idle: the 1 M daily batch took 147.7 s on two against 169.8 s on one. But two
# large models at once need more memory than one: a 1 M full build passed in 400MB on one thread and
# ran out of memory on two (int_licenses__current beside int_penalties__current). Until two are shown
# to fit the bound at 10 M, one is the default.
DEFAULT_DBT_THREADS = 1  # CREDIT_DBT_THREADS

# A publication that would lose more than this share of a table's rows (a table of at least
# SHRINK_GUARD_MIN_ROWS rows in the last publication) is refused without --allow-shrink: that is
# what an empty or half-mounted raw folder over an existing warehouse looks like.
DEFAULT_SHRINK_LIMIT = 0.5  # CREDIT_SHRINK_LIMIT
SHRINK_GUARD_MIN_ROWS = 100

# A department's bad rows are defects of those rows, never a stop; but when more than this share
# of a staging table's rows carry a defect, the export or the extract itself is broken, and the
# staging gate stops the line. 1 turns the stop off.
DEFAULT_MAX_DEFECTIVE_ROW_SHARE = 0.5  # CREDIT_MAX_DEFECTIVE_ROW_SHARE

# The Dagster instance every run records into (creditwh run, dagster dev, schedules, sensors), so the UI
# shows them all: CREDIT_DAGSTER_HOME, else Dagster's own DAGSTER_HOME, else this folder beside the warehouse.
DAGSTER_HOME_FOLDER = "dagster_home"

# date.fromisoformat also takes 20260331 and 2026-W14-2; the contract's form is YYYY-MM-DD only.
AS_OF_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)

# Each setting, by its name in Settings and in the warehouse resource's config, and the variable it
# is read from.
VARIABLE_OF_SETTING = {
    "raw_dir": "CREDIT_RAW_DIR",
    "warehouse_path": "CREDIT_WAREHOUSE",
    "as_of": "CREDIT_AS_OF",
    "pii_key": "CREDIT_PII_KEY",
    "duckdb_memory_limit": "CREDIT_DUCKDB_MEMORY_LIMIT",
    "dbt_threads": "CREDIT_DBT_THREADS",
    "shrink_limit": "CREDIT_SHRINK_LIMIT",
    "max_defective_row_share": "CREDIT_MAX_DEFECTIVE_ROW_SHARE",
}


class SettingsError(ValueError):
    """A CREDIT_* variable the warehouse cannot use: one line for the person who set it."""


class DevelopmentPiiKeyWarning(UserWarning):
    """CREDIT_PII_KEY is unset: person keys are HMACs under a public development key."""


@dataclass(frozen=True)
class Settings:
    raw_dir: Path
    warehouse_path: Path
    as_of: date
    pii_key: bytes
    pii_key_is_development: bool
    duckdb_memory_limit: str = DEFAULT_DUCKDB_MEMORY_LIMIT  # CREDIT_DUCKDB_MEMORY_LIMIT
    dbt_threads: int = DEFAULT_DBT_THREADS  # CREDIT_DBT_THREADS
    shrink_limit: float = DEFAULT_SHRINK_LIMIT  # CREDIT_SHRINK_LIMIT
    max_defective_row_share: float = DEFAULT_MAX_DEFECTIVE_ROW_SHARE  # CREDIT_MAX_DEFECTIVE_ROW_SHARE
    dagster_home_given: Path | None = None  # CREDIT_DAGSTER_HOME or DAGSTER_HOME; see dagster_home

    @property
    def duckdb_config(self) -> dict[str, str]:
        """Every DuckDB connection's configuration (the same for all: DuckDB refuses a second
        connection to a file with a configuration differing from one still open)."""
        return {"memory_limit": self.duckdb_memory_limit}

    @property
    def warehouse_dir(self) -> Path:
        return self.warehouse_path.parent

    @property
    def dagster_home(self) -> Path:
        """The Dagster instance's folder (DAGSTER_HOME of `dagster dev`): the one given, else beside the warehouse."""
        return self.dagster_home_given or self.warehouse_dir / DAGSTER_HOME_FOLDER

    @property
    def scratch_dir(self) -> Path:
        """Landing's scratch files, next to the warehouse; what a killed run left is removed
        by the next (under the warehouse lock)."""
        return self.warehouse_dir / ".scratch"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, config: Mapping[str, str | None] | None = None,
                 as_of_default: date | None = None) -> "Settings":
        """The settings of ``environ`` (the process environment by default). ``config``: settings given
        by name (the warehouse resource's config), over the environment; a None is not given. Without
        an as-of date, it is ``as_of_default`` (the day a run was created), else today, China time."""
        given = {VARIABLE_OF_SETTING[name]: value for name, value in (config or {}).items() if value is not None}
        env = {**(os.environ if environ is None else environ), **given}
        raw_dir = Path(env.get("CREDIT_RAW_DIR") or REPO_ROOT / "raw_samples").resolve()
        warehouse = Path(env.get("CREDIT_WAREHOUSE") or REPO_ROOT / "warehouse" / "credit.duckdb").resolve()
        as_of_text = env.get("CREDIT_AS_OF")
        as_of = parse_as_of(as_of_text) if as_of_text else as_of_default or today_in_china()
        key = env.get("CREDIT_PII_KEY")
        return cls(
            raw_dir=raw_dir,
            warehouse_path=warehouse,
            as_of=as_of,
            pii_key=(key or DEVELOPMENT_PII_KEY).encode("utf-8"),
            pii_key_is_development=not key,
            duckdb_memory_limit=env.get("CREDIT_DUCKDB_MEMORY_LIMIT") or DEFAULT_DUCKDB_MEMORY_LIMIT,
            dbt_threads=parse_count("CREDIT_DBT_THREADS", env.get("CREDIT_DBT_THREADS"), DEFAULT_DBT_THREADS),
            shrink_limit=parse_share("CREDIT_SHRINK_LIMIT", env.get("CREDIT_SHRINK_LIMIT"), DEFAULT_SHRINK_LIMIT),
            max_defective_row_share=parse_share("CREDIT_MAX_DEFECTIVE_ROW_SHARE",
                                                env.get("CREDIT_MAX_DEFECTIVE_ROW_SHARE"),
                                                DEFAULT_MAX_DEFECTIVE_ROW_SHARE),
            dagster_home_given=parse_dagster_home(env.get("CREDIT_DAGSTER_HOME"), env.get("DAGSTER_HOME")),
        )

    def as_config(self) -> dict[str, str]:
        """These settings by name, as the text ``from_env(config=...)`` reads back into the same settings."""
        return {
            "raw_dir": str(self.raw_dir),
            "warehouse_path": str(self.warehouse_path),
            "as_of": self.as_of.isoformat(),
            "pii_key": "" if self.pii_key_is_development else self.pii_key.decode("utf-8"),
            "duckdb_memory_limit": self.duckdb_memory_limit,
            "dbt_threads": str(self.dbt_threads),
            "shrink_limit": repr(self.shrink_limit),
            "max_defective_row_share": repr(self.max_defective_row_share),
        }

    def warn_if_development_key(self) -> None:
        if self.pii_key_is_development:
            warnings.warn(
                "CREDIT_PII_KEY is not set: identity numbers are keyed with the PUBLIC development "
                "key. Person keys are then reversible by anyone with a list of candidate numbers. "
                "Set CREDIT_PII_KEY to a secret before loading real data.",
                DevelopmentPiiKeyWarning,
                stacklevel=2,
            )


def today_in_china() -> date:
    return datetime.now(CHINA_TZ).date()


def now_in_china() -> datetime:
    """The time a document states it was generated (生成时间): China time, to the second."""
    return datetime.now(CHINA_TZ).replace(microsecond=0)


def parse_as_of(text: str) -> date:
    """CREDIT_AS_OF as a date: YYYY-MM-DD and a real calendar day, else SettingsError."""
    try:
        if AS_OF_PATTERN.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise SettingsError(f"CREDIT_AS_OF must be a calendar date written YYYY-MM-DD (e.g. 2026-03-31), got {text!r}")


def parse_dagster_home(credit_home: str | None, dagster_home: str | None) -> Path | None:
    """The Dagster home given by either variable; SettingsError when they name different folders
    (the command line would record where `dagster dev` does not look)."""
    homes = {Path(text).expanduser().resolve() for text in (credit_home, dagster_home) if text}
    if len(homes) > 1:
        raise SettingsError(f"CREDIT_DAGSTER_HOME ({credit_home}) and DAGSTER_HOME ({dagster_home}) name different "
                            "folders: set one of them, so that every run records where the UI looks")
    return homes.pop() if homes else None


def parse_count(name: str, text: str | None, default: int) -> int:
    """A whole number of at least 1 from the environment, else SettingsError."""
    if not text:
        return default
    if not text.strip().isascii() or not text.strip().isdigit() or int(text) < 1:
        raise SettingsError(f"{name} must be a whole number of at least 1 (e.g. 2), got {text!r}")
    return int(text)


def parse_share(name: str, text: str | None, default: float) -> float:
    """A share between 0 and 1 from the environment, else SettingsError."""
    if not text:
        return default
    try:
        share = float(text)
    except ValueError:
        share = -1.0
    if not 0 <= share <= 1:
        raise SettingsError(f"{name} must be a share between 0 and 1 (e.g. 0.5), got {text!r}")
    return share
