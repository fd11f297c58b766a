"""Read one entity's credit report (公共信用信息报告) from the warehouse.

Only marts and the public schema are read, each a plain select of one entity's rows: the internal
version reads the profile, the registration, the entity's licences, penalties, designations (those
not yet in force too), 惩戒到人, joint sanctions, commitments, repairs and tier evidence, the tier
rules and the objections to its records; personal data only as the warehouse holds it, masked. The public version reads nothing but
the profile's name and region, the registry's non-personal fields and the entity's rows of the
public schema (licences, penalties and list designations as the credit website publishes them, each
column of which may be published): what it does not read, it cannot leak.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime

import duckdb

from creditwh.report.lookup import EntityLookupError
from creditwh.warehouse.settings import now_in_china

Rows = list[dict]


@dataclass(frozen=True)
class EntityReport:
    entity_code: str
    public: bool
    as_of: date
    profile: dict  # the mart_entity_credit_profile row (public: only its public fields)
    registration: dict | None  # dim_entity row, None when not registered
    region_name: str | None
    penalties: Rows
    licences: Rows | None = None  # public version: as published (public.license_disclosures)
    designations: Rows | None = None  # public version: as published (public.credit_list_disclosures)
    # internal only (None in the public version)
    sanction_persons: Rows | None = None
    measures: Rows | None = None
    commitments: Rows | None = None
    repairs: Rows | None = None
    evidence: Rows | None = None
    rules: Rows | None = None
    objections: Rows | None = None  # 异议 about the entity's records, open and resolved
    operator: str | None = None
    purpose: str | None = None
    generated_at: datetime = field(default_factory=now_in_china)
    report_no: str | None = None  # 报告编号, given when the report is issued (creditwh.report.number)

    @property
    def found(self) -> bool:
        return True


@dataclass(frozen=True)
class NotFoundReport:
    """The report of a look-up the warehouse cannot answer: 未查询到相关信用记录, printable all the same."""
    entity_code: str
    public: bool
    as_of: date | None  # the warehouse's as-of date: nothing was known about the entity as of then
    operator: str | None = None
    purpose: str | None = None
    generated_at: datetime = field(default_factory=now_in_china)
    report_no: str | None = None

    @property
    def found(self) -> bool:
        return False


def _rows(con: duckdb.DuckDBPyConnection, sql: str, *params) -> Rows:
    cursor = con.execute(sql, list(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _one(con: duckdb.DuckDBPyConnection, sql: str, *params) -> dict | None:
    rows = _rows(con, sql, *params)
    return rows[0] if rows else None


PUBLIC_PROFILE_COLUMNS = "entity_code, entity_name, region_code, in_registry, as_of_date"
PUBLIC_REGISTRATION_COLUMNS = "entity_code, entity_name, entity_type, region_code, registration_status, established_date"

LICENCES = """
    select doc_no, doc_name, license_category, license_content, decision_date, valid_from, valid_until, is_open_ended,
           authority_name, license_status, under_objection
    from marts.mart_entity_licenses
    where entity_code = ?
    order by decision_date desc nulls last, doc_no"""

PENALTIES = """
    select record_key, doc_no, violation_type, penalty_categories, penalty_content, fine_amount_10k_yuan, decision_date,
           authority_name, severity, publication_status, publication_end_date, repaired_date, under_objection
    from marts.mart_entity_penalties
    where entity_code = ?
    order by decision_date desc nulls last, doc_no"""

# every column of a public table may be published: the public version reads them whole
PUBLIC_PENALTIES = """
    select * from public.penalty_disclosures
    where entity_code = ?
    order by decision_date desc nulls last, doc_no"""

PUBLIC_LICENCES = """
    select * from public.license_disclosures
    where entity_code = ?
    order by decision_date desc nulls last, doc_no"""

PUBLIC_DESIGNATIONS = """
    select * from public.credit_list_disclosures
    where entity_code = ?
    order by designated_date desc nulls last, designation_doc_no"""

DESIGNATIONS = """
    select record_key, list_type, designation_doc_no, designation_reason, designating_dept_name, designated_date, valid_until,
           removed_date, status, under_objection
    from marts.mart_entity_credit_list_designations
    where entity_code = ?
    order by designated_date desc nulls last, designation_doc_no"""

SANCTION_PERSONS = """
    select list_type, designation_doc_no, person_role, person_name_masked, person_id_masked
    from marts.mart_sanction_persons
    where entity_code = ?
    order by designation_doc_no"""

MEASURES = """
    select list_type, measure_kind, measure, legal_basis
    from marts.mart_entity_sanction_measures
    where entity_code = ?
    order by list_type, measure_kind, measure"""

COMMITMENTS = """
    select record_key, commitment_type, commitment_matter, commitment_date, accepting_dept_name, fulfilment_status, breach_date
    from marts.mart_entity_commitments
    where entity_code = ?
    order by commitment_date desc nulls last, commitment_type, commitment_matter"""

REPAIRS = """
    select repair_type, related_doc_no, repair_decision_date, repair_result, repair_authority_name, is_effective,
           matched_record
    from marts.mart_entity_repairs
    where entity_code = ?
    order by repair_decision_date desc nulls last, related_doc_no"""

EVIDENCE = """
    select rule_order, tier, rule_label, record_kind, record_label, event_date, is_decisive, record_key
    from marts.fct_credit_tier_evidence
    where entity_code = ?
    order by rule_order, event_date desc nulls last, record_label, record_key"""

REGION = """
    select region_name from marts.dim_region_hierarchy
    where region_code = ? and member_region_code = region_code"""

OBJECTIONS = """
    select objection_no, target_kind, target_doc_no, handling_dept_name, accepted_date, resolved_date, outcome, status,
           working_days_taken, is_overdue, matched
    from marts.fct_objections
    where entity_code = ?
    order by accepted_date desc nulls last, objection_no"""

AS_OF = "select max(as_of_date) as as_of_date from marts.mart_entity_credit_profile"

RULES = """
    select rule_order, tier, tier_name, rule_label, description, sampling_ratio
    from marts.dim_credit_tier_rule
    order by rule_order"""


def load_entity_report(con: duckdb.DuckDBPyConnection, entity_code: str, *, public: bool = False,
                       operator: str | None = None, purpose: str | None = None) -> EntityReport | None:
    """The report of ``entity_code`` (a valid USCC), or None when the warehouse does not know it."""
    with _tables_needed():
        return _load(con, entity_code, public, operator, purpose)


def not_found_report(con: duckdb.DuckDBPyConnection, entity_code: str, *, public: bool = False,
                     operator: str | None = None, purpose: str | None = None) -> NotFoundReport:
    """The 未查询到相关信用记录 report of a code the warehouse does not know, as of the warehouse's date."""
    with _tables_needed():
        as_of = _one(con, AS_OF)["as_of_date"]
    return NotFoundReport(entity_code, public, as_of, operator=operator, purpose=purpose)


@contextmanager
def _tables_needed() -> Iterator[None]:
    """A warehouse without the marts a report reads: a message saying how to build them."""
    try:
        yield
    except duckdb.CatalogException as exc:
        raise EntityLookupError(
            f"数据仓库缺少信用档案所需的表（{str(exc).splitlines()[0]}）：请先用 `creditwh run` 重新构建。") from None


def _load(con: duckdb.DuckDBPyConnection, entity_code: str, public: bool, operator: str | None,
          purpose: str | None) -> EntityReport | None:
    if public:
        profile = _one(con, f"select {PUBLIC_PROFILE_COLUMNS} from marts.mart_entity_credit_profile "
                            "where entity_code = ?", entity_code)
    else:
        profile = _one(con, "select * from marts.mart_entity_credit_profile where entity_code = ?", entity_code)
    if profile is None:
        return None
    registration = _one(
        con, f"select {PUBLIC_REGISTRATION_COLUMNS if public else '*'} from marts.dim_entity where entity_code = ?",
        entity_code)
    region = _one(con, REGION, profile["region_code"])
    as_of = profile["as_of_date"]
    common = dict(entity_code=entity_code, public=public, as_of=as_of, profile=profile, registration=registration,
                  region_name=region["region_name"] if region else None)
    if public:
        return EntityReport(**common, penalties=_rows(con, PUBLIC_PENALTIES, entity_code),
                            licences=_rows(con, PUBLIC_LICENCES, entity_code),
                            designations=_rows(con, PUBLIC_DESIGNATIONS, entity_code))
    return EntityReport(
        **common,
        penalties=_rows(con, PENALTIES, entity_code),
        licences=_rows(con, LICENCES, entity_code),
        designations=_rows(con, DESIGNATIONS, entity_code),
        sanction_persons=_rows(con, SANCTION_PERSONS, entity_code),
        measures=_rows(con, MEASURES, entity_code),
        commitments=_rows(con, COMMITMENTS, entity_code),
        repairs=_rows(con, REPAIRS, entity_code),
        evidence=_rows(con, EVIDENCE, entity_code),
        rules=_rows(con, RULES),
        objections=_rows(con, OBJECTIONS, entity_code),
        operator=operator,
        purpose=purpose,
    )
