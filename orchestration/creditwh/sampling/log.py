"""The register of 双随机 draws, ``audit.sample_log``: who drew, when, why, with which seed, as of which
date, in which region, from which population (its fingerprint) and how many per tier.

Like audit.query_log it is not a dbt model: it is created here (``if not exists``) and nothing in a
warehouse rebuild drops it (landing replaces only the ``raw`` schema; dbt replaces only its own tables).
What the user typed (--purpose, --operator) is stored with identity numbers masked.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb

from creditwh.report.lookup import lookup_connection, os_user, typed_text
from creditwh.sampling.draw import Draw
from creditwh.warehouse.settings import CHINA_TZ

SAMPLE_LOG_DDL = """
CREATE SCHEMA IF NOT EXISTS audit;
CREATE TABLE IF NOT EXISTS audit.sample_log (
    draw_id VARCHAR NOT NULL,                -- one id per draw
    drawn_at TIMESTAMPTZ NOT NULL,           -- when (an instant; shown in China time)
    operator VARCHAR NOT NULL,               -- 抽取人: --operator, else the OS user
    os_user VARCHAR,                         -- the OS account that ran the command
    purpose VARCHAR NOT NULL,                -- 抽查事项 (--purpose)
    seed BIGINT NOT NULL,                    -- the draw again: creditwh sample --seed
    as_of DATE NOT NULL,                     -- the as-of date of the tiers drawn from
    region_code VARCHAR NOT NULL,            -- the region chosen (and what lies under it)
    population_fingerprint VARCHAR NOT NULL, -- sha256 of the population's sorted entity codes and tiers
    population VARCHAR NOT NULL,             -- the population per tier, 'A:120,B:30,C:12,D:4'
    drawn VARCHAR NOT NULL,                  -- drawn per tier, 'A:0,B:2,C:1,D:1'
    out_file VARCHAR,                        -- the list written, absolute path (NULL: not written)
    answered_from VARCHAR                    -- 'warehouse', or 'publication <stamp>'
);
"""
SAMPLE_LOG_COLUMNS = ("draw_id", "drawn_at", "operator", "os_user", "purpose", "seed", "as_of", "region_code",
                      "population_fingerprint", "population", "drawn", "out_file", "answered_from")


@dataclass(frozen=True)
class SampleLogEntry:
    operator: str
    purpose: str
    seed: int
    as_of: date
    region_code: str
    population_fingerprint: str
    population: str
    drawn: str
    out_file: Path | None = None
    answered_from: str = "warehouse"

    @classmethod
    def of(cls, draw: Draw, operator: str, purpose: str, out_file: Path | None = None,
           answered_from: str = "warehouse") -> SampleLogEntry:
        return cls(operator, purpose, draw.seed, draw.population.as_of, draw.population.region_code,
                   draw.population.fingerprint(), draw.sizes("population"), draw.sizes(), out_file, answered_from)

    def row(self) -> dict:
        """The register row, identity numbers in what the user typed masked; a new draw_id and time."""
        return {
            "draw_id": str(uuid.uuid4()), "drawn_at": datetime.now(CHINA_TZ).isoformat(),
            "operator": typed_text(self.operator), "os_user": os_user(), "purpose": typed_text(self.purpose),
            "seed": self.seed, "as_of": self.as_of.isoformat(), "region_code": self.region_code,
            "population_fingerprint": self.population_fingerprint, "population": self.population,
            "drawn": self.drawn, "out_file": str(self.out_file.resolve()) if self.out_file else None,
            "answered_from": self.answered_from,
        }


def ensure_sample_log(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(SAMPLE_LOG_DDL)


def log_draw(con: duckdb.DuckDBPyConnection, entry: SampleLogEntry) -> str:
    """Write the draw to audit.sample_log (creating it on first use); returns its draw_id."""
    ensure_sample_log(con)
    row = entry.row()
    con.execute(f"INSERT INTO audit.sample_log ({', '.join(SAMPLE_LOG_COLUMNS)}) "
                f"VALUES ({', '.join('?' for _ in SAMPLE_LOG_COLUMNS)})", [row[c] for c in SAMPLE_LOG_COLUMNS])
    return row["draw_id"]


def register_draw(source, entry: SampleLogEntry) -> str:
    """Log the draw in the warehouse the look-up holds (``source``: creditwh.report.source.LookupSource):
    through its own connection when it reads the live warehouse, else through a short one."""
    if source.manifest is None:
        return log_draw(source.con, entry)
    with lookup_connection(source.settings.warehouse_path) as con:
        return log_draw(con, entry)
