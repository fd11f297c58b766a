"""Read one entity's credit report (公共信用信息报告) from the warehouse.

The internal version reads the marts (profile, tier evidence, penalties, lists, 惩戒到人, joint
sanctions) and the current records of licences, commitments and repairs; personal data only as the
warehouse holds it, masked. The public version reads nothing but the profile's name and region, the
registry's non-personal fields and ``public.penalty_disclosures``: what it does not read, it cannot
leak.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import duckdb

from creditwh.report.lookup import EntityLookupError
from creditwh.warehouse.settings import CHINA_TZ

Rows = list[dict]


def _china_now() -> datetime:
    return datetime.now(CHINA_TZ).replace(microsecond=0)


@dataclass(frozen=True)
class EntityReport:
    entity_code: str
    public: bool
    as_of: date
    profile: dict  # the mart_entity_credit_profile row (public: only its public fields)
    registration: dict | None  # dim_entity row, None when not registered
    region_name: str | None
    penalties: Rows
    # internal only (None in the public version)
    licences: Rows | None = None
    designations: Rows | None = None
    sanction_persons: Rows | None = None
    measures: Rows | None = None
    commitments: Rows | None = None
    repairs: Rows | None = None
    evidence: Rows | None = None
    rules: Rows | None = None
    operator: str | None = None
    purpose: str | None = None
    generated_at: datetime = field(default_factory=_china_now)


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
           authority_name, license_status
    from intermediate.int_licenses__current
    where entity_code = ?
    order by decision_date desc nulls last, doc_no"""

PENALTIES = """
    select f.doc_no, p.violation_type, array_to_string(p.penalty_categories, '；') as penalty_categories,
           p.penalty_content, p.fine_amount_10k_yuan, f.decision_date, f.authority_name, f.severity,
           f.publication_status, f.publication_end_date, f.repaired_date
    from marts.fct_penalty_publication as f
    join intermediate.int_penalties__current as p using (record_key)
    where f.entity_code = ?
    order by f.decision_date desc nulls last, f.doc_no"""

PUBLIC_PENALTIES = """
    select doc_no, authority_name, violation_type, penalty_categories, penalty_content, fine_amount_10k_yuan,
           decision_date, publication_end_date
    from public.penalty_disclosures
    where entity_code = ?
    order by decision_date desc nulls last, doc_no"""

# designations in force by the as-of date (with their status), and those dated later (not yet in force)
DESIGNATIONS = """
    select list_type, designation_doc_no, designation_reason, designating_dept_name, designated_date, valid_until,
           removed_date, status
    from marts.fct_credit_list_membership
    where entity_code = ?
    union all
    select list_type, designation_doc_no, designation_reason, designating_dept_name, designated_date, valid_until,
           removed_date, 'not_yet_in_force' as status
    from intermediate.int_credit_list_designations__current
    where entity_code = ? and designated_date > ?
    order by designated_date desc nulls last, designation_doc_no"""

SANCTION_PERSONS = """
    select list_type, designation_doc_no, person_role, person_name_masked, person_id_masked
    from marts.mart_sanction_persons
    where entity_code = ?
    order by designation_doc_no"""

MEASURES = """
    select list_type, measure_kind, measure, any_value(legal_basis order by legal_basis) as legal_basis
    from marts.mart_joint_sanctions
    where entity_code = ? and target_role = 'subject' and applies_to = 'entity'
    group by list_type, measure_kind, measure
    order by list_type, measure_kind, measure"""

COMMITMENTS = """
    select commitment_type, commitment_matter, commitment_date, accepting_dept_name, fulfilment_status, breach_date
    from intermediate.int_commitments__current
    where entity_code = ?
    order by commitment_date desc nulls last, commitment_type, commitment_matter"""

REPAIRS = """
    select repair_type, related_doc_no, repair_decision_date, repair_result, repair_authority_name, is_effective,
           matched_record
    from intermediate.int_repairs__matched
    where entity_code = ?
    order by repair_decision_date desc nulls last, related_doc_no"""

EVIDENCE = """
    select rule_order, tier, rule_label, record_kind, record_label, event_date, is_decisive, record_key
    from marts.fct_credit_tier_evidence
    where entity_code = ?
    order by rule_order, event_date desc nulls last, record_label, record_key"""

RULES = """
    select r.rule_order, r.tier, t.tier_name, r.rule_label, r.description, t.sampling_ratio
    from reference.credit_tier_rules as r
    join reference.credit_tiers as t using (tier)
    order by r.rule_order"""


def load_entity_report(con: duckdb.DuckDBPyConnection, entity_code: str, *, public: bool = False,
                       operator: str | None = None, purpose: str | None = None) -> EntityReport | None:
    """The report of ``entity_code`` (a valid USCC), or None when the warehouse does not know it."""
    try:
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
        region = _one(con, "select region_name from reference.regions where region_code = ?", profile["region_code"])
        as_of = profile["as_of_date"]
        common = dict(entity_code=entity_code, public=public, as_of=as_of, profile=profile, registration=registration,
                      region_name=region["region_name"] if region else None)
        if public:
            return EntityReport(**common, penalties=_rows(con, PUBLIC_PENALTIES, entity_code))
        return EntityReport(
            **common,
            penalties=_rows(con, PENALTIES, entity_code),
            licences=_rows(con, LICENCES, entity_code),
            designations=_rows(con, DESIGNATIONS, entity_code, entity_code, as_of),
            sanction_persons=_rows(con, SANCTION_PERSONS, entity_code),
            measures=_rows(con, MEASURES, entity_code),
            commitments=_rows(con, COMMITMENTS, entity_code),
            repairs=_rows(con, REPAIRS, entity_code),
            evidence=_rows(con, EVIDENCE, entity_code),
            rules=_rows(con, RULES),
            operator=operator,
            purpose=purpose,
        )
    except duckdb.CatalogException as exc:
        raise EntityLookupError(
            f"数据仓库缺少信用档案所需的表（{str(exc).splitlines()[0]}）：请先用 `creditwh run` 重新构建。") from None
