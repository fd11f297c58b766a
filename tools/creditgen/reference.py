"""The project's own data the generator follows: it keeps no copy of it.

Regions, code lists and the sanction rules (severity by 处罚类别, publication periods) come from
the dbt seeds; the empty and open-ended markers from the dbt vars (``creditwh.rules``); the
extract columns, R flags, aliases and identities from the extract contract (var
``extract_contract``) through ``creditwh.landing.contract.load_contract``.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date
from functools import cache

from creditwh.landing.contract import KindSpec, load_contract
from creditwh.rules import dbt_vars, empty_markers, seed_rows

def contract() -> dict[str, KindSpec]:
    """The extract contract: columns (with aliases, R flags) and identity of each kind."""
    return load_contract()


@cache
def code_list(name: str) -> tuple[str, ...]:
    """The codes of one list of seeds/code_lists.csv, in the seed's order."""
    return tuple(row["code"] for row in seed_rows("code_lists") if row["code_list"] == name)


def written_empty_markers() -> tuple[str, ...]:
    """What a department writes in an empty cell: the non-empty markers of the dbt var, then a
    lone space and nothing at all."""
    return (*(m for m in empty_markers() if m), " ", "")


# dbt var open_ended_markers: validity values that mean "no end date", the word first, then a date
NO_END, NO_END_DATE = (str(m) for m in dbt_vars()["open_ended_markers"][:2])


# --------------------------------------------------------------------------------------
# Regions (seeds/regions.csv)
# --------------------------------------------------------------------------------------
@cache
def region_rows() -> dict[str, tuple[str, str]]:
    """region_code -> (name, city_code). A name the seed disambiguates, 市中区(济南), is the
    real name 市中区 in the generated text."""
    return {row["region_code"]: (row["region_name"].split("(")[0], row["city_code"]) for row in seed_rows("regions")}


# --------------------------------------------------------------------------------------
# Sanction rules in force at a date (seeds with effective_from, like dbt's rule_versions())
# --------------------------------------------------------------------------------------
class RuleVersions:
    """Rows of a versioned seed by key: a row applies from its effective_from until the next
    effective_from of the same key."""

    def __init__(self, rows: list[dict[str, str]], key: str):
        self._starts: dict[str, list[int]] = {}
        self._rows: dict[str, list[dict[str, str]]] = {}
        for row in sorted(rows, key=lambda r: r["effective_from"]):
            self._starts.setdefault(row[key], []).append(date.fromisoformat(row["effective_from"]).toordinal())
            self._rows.setdefault(row[key], []).append(row)

    def in_force(self, key: str, on: int) -> dict[str, str] | None:
        """The row of ``key`` in force on the day ``on`` (an ordinal), None if none."""
        starts = self._starts.get(key, [])
        i = bisect_right(starts, on) - 1
        return self._rows[key][i] if i >= 0 else None


@cache
def _severity_rules() -> RuleVersions:
    return RuleVersions(seed_rows("penalty_severity_by_category"), "penalty_category")


@cache
def _publication_rules() -> RuleVersions:
    return RuleVersions(seed_rows("penalty_publication_rules"), "severity")


@cache
def severity_of(categories: tuple[str, ...], on: int) -> str:
    """失信程度 from 处罚类别 (seeds/penalty_severity_by_category): the highest-ranked severity
    among the categories; a category not in the seed, or none, takes the row ``*``."""
    rules = _severity_rules()
    rows = [rules.in_force(c, on) or rules.in_force("*", on) for c in categories or ("*",)]
    return max(rows, key=lambda row: int(row["severity_rank"]))["severity"]


def publication_months(severity: str, on: int) -> tuple[int, int] | None:
    """(minimum, maximum) publication months of a penalty decided on ``on``
    (seeds/penalty_publication_rules); None for a severity that is never published."""
    row = _publication_rules().in_force(severity, on)
    if row is None or row["is_published"] != "true":
        return None
    return int(row["min_publication_months"]), int(row["max_publication_months"])
