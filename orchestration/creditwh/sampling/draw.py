"""The population of a draw and the draw itself.

The population is sorted (tier, then entity code) before anything is drawn, and every tier draws from
a random generator seeded with (seed, tier): the same seed, as-of date, region and warehouse give the
same list, and one tier's population does not move another tier's draw.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import duckdb
import numpy as np

from creditwh.rules import dbt_vars, seed_rows

SEED_LIMIT = 2**31  # a generated seed fits a BIGINT and is short enough to type again
COLUMNS = ("entity_code", "entity_name", "credit_tier", "region_code", "region_name", "registration_status")


class SampleError(Exception):
    """A draw that cannot be made: the message is for the person who asked for it."""

    def __init__(self, message: str, exit_code: int = 2):
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True)
class TierRule:
    tier: str
    tier_name: str
    sampling_ratio: Decimal

    def quota(self, population: int) -> int:
        """ceil(ratio × population), in decimals: 7% of 100 is 7 (in floating point 7.000000000000001 → 8)."""
        return math.ceil(self.sampling_ratio * population)


def tier_rules() -> list[TierRule]:
    """The sampling ratio of each tier (seeds/credit_tiers.csv), in tier order."""
    return [TierRule(row["tier"], row["tier_name"], Decimal(row["sampling_ratio"])) for row in seed_rows("credit_tiers")]


def registered_statuses() -> list[str]:
    """The 登记状态 a draw picks from (dbt var sampling_registration_statuses)."""
    return list(dbt_vars()["sampling_registration_statuses"])


@dataclass(frozen=True)
class Population:
    region_code: str
    region_name: str | None
    as_of: date
    entities: list[dict]  # COLUMNS, sorted by tier then entity code

    def of_tier(self, tier: str) -> list[dict]:
        return [e for e in self.entities if e["credit_tier"] == tier]

    def fingerprint(self) -> str:
        """sha256 of the population's entity codes and tiers, sorted: the same population, the same print."""
        lines = sorted(f"{e['entity_code']}:{e['credit_tier']}" for e in self.entities)
        return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


POPULATION_SQL = """
    select entity.entity_code, entity.entity_name, profile.credit_tier, entity.region_code, entity.region_name,
           entity.registration_status
    from marts.dim_entity as entity
    join marts.mart_entity_credit_profile as profile using (entity_code)
    where entity.registration_status in (select unnest(?::varchar[]))
      and entity.region_code in (select member_region_code from marts.dim_region_hierarchy where region_code = ?)
    order by profile.credit_tier, entity.entity_code
"""


def load_population(con: duckdb.DuckDBPyConnection, region_code: str) -> Population:
    """The registered entities of the region and what lies under it, with their tiers as of the as-of date."""
    known, region_name = con.execute("select count(*), any_value(region_name) from marts.dim_region_hierarchy "
                                     "where region_code = ?", [region_code]).fetchone()
    if not known:
        raise SampleError(f"未知的行政区划代码 {region_code}：数据仓库的行政区划中没有它（如 370000 山东省、370100 济南市、370102 历下区）。")
    statuses = registered_statuses()
    rows = con.execute(POPULATION_SQL, [statuses, region_code]).fetchall()
    if not rows:
        raise SampleError(f"{region_code} {region_name or ''} 没有登记状态为{'、'.join(statuses)}的主体可供抽取：未抽取，未登记。")
    as_of = con.execute("select max(as_of_date) from marts.mart_entity_credit_profile").fetchone()[0]
    return Population(region_code, region_name, as_of, [dict(zip(COLUMNS, row)) for row in rows])


@dataclass(frozen=True)
class Draw:
    population: Population
    seed: int
    tiers: list[TierRule]
    drawn: dict[str, list[dict]]  # tier -> the entities drawn, by entity code

    @property
    def entities(self) -> list[dict]:
        return [entity for rule in self.tiers for entity in self.drawn[rule.tier]]

    def sizes(self, of: str = "drawn") -> str:
        """'A:0,B:12,C:40,D:9' — drawn per tier, or (of='population') the tiers' populations."""
        count = (lambda t: len(self.drawn[t])) if of == "drawn" else (lambda t: len(self.population.of_tier(t)))
        return ",".join(f"{rule.tier}:{count(rule.tier)}" for rule in self.tiers)


def new_seed() -> int:
    return secrets.randbelow(SEED_LIMIT)


def draw_sample(population: Population, seed: int, tiers: list[TierRule] | None = None) -> Draw:
    """For each tier, its quota of entities at random, without replacement."""
    tiers = tier_rules() if tiers is None else tiers
    drawn = {}
    for rule in tiers:
        members = population.of_tier(rule.tier)
        quota = rule.quota(len(members))
        rng = np.random.default_rng([seed, *rule.tier.encode("utf-8")])
        picked = sorted(rng.choice(len(members), size=quota, replace=False)) if quota else []
        drawn[rule.tier] = [members[i] for i in picked]
    return Draw(population, seed, tiers, drawn)
