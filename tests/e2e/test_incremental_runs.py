"""Incremental runs on one warehouse (issue 6): a monthly batch is landed and staged on its own,
a re-delivered file replaces its rows, a registry that arrives later keys a record built
earlier, the working days, the timeliness facts, the licences' and penalties' publication status,
their public rows, the entities' licences and penalties and the registrations recompute only the
records a batch touched, the credit tier evidence and the credit profile only its entities
(issue 20), and the current versions and marts
equal a rebuild from scratch. The as-of date may
move between runs without a rebuild: its check is not in the staged rows."""

from __future__ import annotations

import os
import shutil

import duckdb
import pytest

from creditwh.warehouse import build_state
from creditwh.pipeline import materialize_all
from creditwh.warehouse.settings import Settings

from .helpers import COMPANY_A, COMPANY_B, COOPERATIVE_N, JINAN_SCJGJ, OBJECTION_HEADER, REGISTRY_HEADER, REPAIR_HEADER, license_record, \
    objection_row, penalty_record, query, registry_rows, repair_row, write_csv, write_records

BUILT_INCREMENTALLY = ("intermediate.int_licenses__current", "intermediate.int_penalties__current", "audit.rejected_rows",
                       "intermediate.int_submissions__working_days", "audit.records_to_refresh",
                       "marts.fct_disclosure_timeliness", "marts.rpt_timeliness_monthly",
                       "marts.rpt_timeliness_quarterly", "marts.fct_penalty_publication",
                       "marts.fct_license_publication", "public.license_disclosures", "public.penalty_disclosures",
                       "marts.mart_entity_licenses", "marts.mart_entity_penalties",
                       "intermediate.int_calendar__chinesecalendar", "intermediate.int_registry_entities__current",
                       "marts.dim_entity", "intermediate.int_repairs__current", "intermediate.int_commitments__current",
                       "intermediate.int_credit_list_designations__current",
                       "marts.fct_credit_tier_evidence", "marts.mart_entity_credit_profile",
                       "intermediate.int_penalties__publication_windows")
LEGACY_KEYED = "济市监许〔2026〕2号"  # delivered with COMPANY_B's 组织机构代码 only
OBJECTED = "济市监许〔2026〕1号"  # an objection about it arrives with February's batch
UNTOUCHED = "济市监许〔2026〕5号"  # nothing about it arrives after January
REPAIRED = "济市监罚〔2026〕2号"  # its credit repair (终止公示) arrives with February's batch
# the models incremental by record: a column of each that the next one does not copy, the record's
# kind, and the columns that find its row
BY_RECORD = {
    "working_days": ("intermediate.int_submissions__working_days", "record_type", "record_kind", ("record_kind", "record_key")),
    "penalty_windows": ("intermediate.int_penalties__publication_windows", "severity_derived", "'penalty'", ("record_key",)),
    "timeliness": ("marts.fct_disclosure_timeliness", "record_kind_label", "record_kind", ("record_kind", "record_key")),
    "license_publication": ("marts.fct_license_publication", "regulation", "'license'", ("record_key",)),
    "license_disclosures": ("public.license_disclosures", "license_category", "'license'", ("source_dept_code", "doc_no")),
    "penalty_publication": ("marts.fct_penalty_publication", "severity_source", "'penalty'", ("record_key",)),
    "penalty_disclosures": ("public.penalty_disclosures", "violation_type", "'penalty'", ("source_dept_code", "doc_no")),
    "entity_licenses": ("marts.mart_entity_licenses", "license_category", "'license'", ("record_key",)),
    "entity_penalties": ("marts.mart_entity_penalties", "penalty_content", "'penalty'", ("record_key",)),
}
MARKER = "kept from an earlier run"  # planted in that column: a recomputed row loses it


def _run(raw_dir, warehouse, monkeypatch, as_of="2026-03-31", full_refresh=False):
    for name, value in {"CREDIT_RAW_DIR": raw_dir, "CREDIT_WAREHOUSE": warehouse, "CREDIT_AS_OF": as_of,
                        "CREDIT_PII_KEY": "test-secret-key"}.items():
        monkeypatch.setenv(name, str(value))
    report = materialize_all(Settings.from_env(), log_level="ERROR", full_refresh=full_refresh)
    assert report.ok, (report.steps_failed, report.checks_failed)
    return report


def _staged_files(warehouse) -> dict[str, int]:
    return dict(query(warehouse, "SELECT file_path, count(*) FROM staging.stg_extracts__penalties GROUP BY ALL"))


def _plant_marker(warehouse) -> dict[tuple, str]:
    """Mark every row of the models incremental by record; returns the true values, to restore."""
    true_values = {}
    with duckdb.connect(str(warehouse)) as con:
        for table, column, _, key_columns in BY_RECORD.values():
            for *key, value in con.execute(f"SELECT {', '.join(key_columns)}, {column} FROM {table}").fetchall():
                true_values[(table, column, key_columns, tuple(key))] = value
            con.execute(f"UPDATE {table} SET {column} = '{MARKER}'")
    return true_values


def _marked(warehouse) -> dict[str, list[tuple]]:
    """The records whose rows kept the marker (were not recomputed), by model."""
    return {name: sorted(query(warehouse, f"SELECT {kind}, {_doc_no(table)} FROM {table} WHERE {column} = '{MARKER}'"))
            for name, (table, column, kind, _) in BY_RECORD.items()}


def _doc_no(table: str) -> str:
    """The 文书号 of a row: its column, or the last part of its record_key (the penalty's identity)."""
    return "split_part(record_key, '|', 2)" if table.endswith("__publication_windows") else "doc_no"


def _restore(warehouse, true_values: dict[tuple, str]) -> None:
    with duckdb.connect(str(warehouse)) as con:
        for (table, column, key_columns, key), value in true_values.items():
            found_by = " AND ".join(f"{c} = ?" for c in key_columns)
            con.execute(f"UPDATE {table} SET {column} = ? WHERE {found_by} AND {column} = '{MARKER}'", [value, *key])


def _rows(warehouse, table) -> list[tuple]:
    return sorted(query(warehouse, f"SELECT * FROM {table}"), key=repr)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """January lands; February's batch and the registry arrive and January's file is re-delivered
    with a correction; each step runs incrementally on one warehouse, and a second warehouse is
    built from scratch on the final files."""
    monkeypatch = pytest.MonkeyPatch()
    tmp = tmp_path_factory.mktemp("incremental")
    raw, warehouse = tmp / "raw", tmp / "wh" / "credit.duckdb"
    january = [penalty_record(f"济市监罚〔2026〕{i}号", decided="2026-01-05", submitted="2026-01-07 10:00")
               for i in (1, 2)]
    january.append(penalty_record("", decided="2026-01-05", submitted="2026-01-07 10:00"))  # no 文书号: rejected
    write_records(raw / "penalty" / "2026-01.csv", january)
    write_records(raw / "license" / "2026-01.csv",
                  [license_record(OBJECTED, decided="2026-01-05", submitted="2026-01-06 10:00"),
                   license_record(UNTOUCHED, decided="2026-01-05", submitted="2026-01-06 10:00")])
    write_records(raw / "license" / "2026-01-legacy.csv",
                  [license_record(LEGACY_KEYED, decided="2026-01-05", submitted="2026-01-07 10:00",
                                  统一社会信用代码="", 组织机构代码=COMPANY_B[8:17])])
    try:
        first_report = _run(raw, warehouse, monkeypatch)
        first = _staged_files(warehouse)
        unkeyed = query(warehouse, "SELECT entity_code FROM intermediate.int_licenses__current "
                                   f"WHERE doc_no = '{LEGACY_KEYED}'")
        with duckdb.connect(str(warehouse)) as con:  # a marker a full rebuild of staging would lose
            con.execute("UPDATE staging.stg_extracts__penalties SET remarks = 'staged by run 1'")
            # a marker comparing every identity with its deliveries would lose (a wrong count)
            con.execute("UPDATE intermediate.int_penalties__current SET delivery_count = delivery_count + 100")
            # and one reading every landed row again would lose
            con.execute("UPDATE audit.rejected_rows SET reason = 'found by run 1'")
        before_batch = _plant_marker(warehouse)
        write_records(raw / "penalty" / "2026-02.csv",
                      [penalty_record("济市监罚〔2026〕3号", decided="2026-02-02", submitted="2026-02-27 10:00")])
        write_csv(raw / "registry" / "2026-02.csv", REGISTRY_HEADER, registry_rows())
        write_csv(raw / "objection" / "2026-02.csv", OBJECTION_HEADER,
                  [objection_row("YY2026001", "行政许可", OBJECTED, JINAN_SCJGJ, "2026-02-10")])
        write_csv(raw / "repair" / "2026-02.csv", REPAIR_HEADER,
                  [repair_row("终止公示行政处罚信息", REPAIRED, JINAN_SCJGJ, "2026-02-20")])
        second_report = _run(raw, warehouse, monkeypatch)
        second = _staged_files(warehouse)
        kept_marker = query(warehouse, "SELECT file_path, remarks FROM staging.stg_extracts__penalties")
        counted = dict(query(warehouse, "SELECT doc_no, delivery_count FROM intermediate.int_penalties__current"))
        rejected = query(warehouse, "SELECT file_path, reason FROM audit.rejected_rows")
        kept_after_batch = _marked(warehouse)
        _restore(warehouse, before_batch)
        objected_after_batch = query(warehouse, "SELECT doc_no, under_objection FROM public.license_disclosures "
                                                "WHERE under_objection")
        penalties_after_batch = {
            "status": dict(query(warehouse, "SELECT doc_no, publication_status FROM marts.fct_penalty_publication")),
            "public": sorted(doc for doc, in query(warehouse, "SELECT doc_no FROM public.penalty_disclosures")),
        }
        january[1]["违法事实"] = "更正后的违法事实"
        os.utime(write_records(raw / "penalty" / "2026-01.csv", january), (1, 1))  # other bytes, new mtime
        # COMPANY_A registers again (在业 now): markers its rebuild would lose, planted in every registration
        registered_again = registry_rows()[0][:2] + ["2026-03-01"] + registry_rows()[0][3:-1] + ["在业"]
        write_csv(raw / "registry" / "2026-03.csv", REGISTRY_HEADER, [registered_again])
        with duckdb.connect(str(warehouse)) as con:
            con.execute("UPDATE intermediate.int_registry_entities__current SET delivery_count = delivery_count + 100")
            con.execute(f"UPDATE marts.dim_entity SET source_dept_name = '{MARKER}'")
            con.execute("UPDATE intermediate.int_repairs__current SET delivery_count = delivery_count + 100")
        _run(raw, warehouse, monkeypatch)
        planted_after_registration = {
            "current": query(warehouse, "SELECT record_key, delivery_count, registration_status "
                                        "FROM intermediate.int_registry_entities__current ORDER BY record_key"),
            "dim_entity": query(warehouse, "SELECT entity_code, registration_status FROM marts.dim_entity "
                                           f"WHERE source_dept_name = '{MARKER}' ORDER BY entity_code"),
            "repairs": query(warehouse, "SELECT related_doc_no, delivery_count FROM intermediate.int_repairs__current"),
        }
        with duckdb.connect(str(warehouse)) as con:
            con.execute("UPDATE intermediate.int_registry_entities__current SET delivery_count = delivery_count - 100 "
                        "WHERE delivery_count > 100")
            con.execute("UPDATE intermediate.int_repairs__current SET delivery_count = delivery_count - 100")
            con.execute("UPDATE marts.dim_entity SET source_dept_name = registry.source_dept_name "
                        "FROM intermediate.int_registry_entities__current AS registry "
                        f"WHERE registry.record_key = dim_entity.entity_code AND dim_entity.source_dept_name = '{MARKER}'")
        true_values = _plant_marker(warehouse)
        # the as-of moves back before February's decision: no rebuild, and the check still applies
        _run(raw, warehouse, monkeypatch, as_of="2026-01-31")
        kept_after_as_of_move = _marked(warehouse)
        _restore(warehouse, true_values)
        rebuilt = tmp / "rebuilt" / "credit.duckdb"
        _run(raw, rebuilt, monkeypatch, as_of="2026-01-31", full_refresh=True)
        yield {"warehouse": warehouse, "rebuilt": rebuilt, "first": first, "second": second,
               "reports": (first_report, second_report),
               "kept_marker": kept_marker, "unkeyed": unkeyed,
               "counted": counted, "rejected": rejected,
               "kept_after_batch": kept_after_batch, "objected_after_batch": objected_after_batch,
               "penalties_after_batch": penalties_after_batch, "planted_after_registration": planted_after_registration,
               "kept_after_as_of_move": kept_after_as_of_move}
    finally:
        monkeypatch.undo()


def test_a_new_batch_is_staged_alone(runs):
    assert runs["first"] == {"penalty/2026-01.csv": 2}
    assert runs["second"] == {"penalty/2026-01.csv": 2, "penalty/2026-02.csv": 1}
    staged_by = dict(runs["kept_marker"])
    assert staged_by["penalty/2026-01.csv"] == "staged by run 1"  # not staged again
    assert staged_by["penalty/2026-02.csv"] != "staged by run 1"


def test_a_batch_rebuilds_the_current_versions_of_its_own_identities_only(runs):
    """February's file holds 3号 alone: January's identities keep their built rows (the wrong count
    planted after run 1 stays), found by the batch's files, not by comparing every identity. The
    re-delivery of January's file afterwards compares them all, and the count is right again (the
    incremental tables equal a rebuild, below)."""
    assert runs["counted"] == {"济市监罚〔2026〕1号": 101, "济市监罚〔2026〕2号": 101, "济市监罚〔2026〕3号": 1}


def test_a_registration_delivered_again_rebuilds_that_entity_alone(runs):
    """COMPANY_A registers again in March (在业): its current registration and its dim_entity row are
    rebuilt, found by the batch's file; the other entities keep the markers planted before the run (a
    wrong delivery count, a department name), and are back to true values for the rebuild comparison."""
    counts_and_status = {key: (count, status) for key, count, status in runs["planted_after_registration"]["current"]}
    assert counts_and_status == {COMPANY_A: (2, "在业"), COMPANY_B: (101, "在业"), COOPERATIVE_N: (101, "存续")}
    assert runs["planted_after_registration"]["dim_entity"] == [(COMPANY_B, "在业"), (COOPERATIVE_N, "存续")]


def test_a_run_without_a_new_repair_file_keeps_the_built_repairs(runs):
    """No repair arrives with the re-delivery: the repair built in February keeps the wrong delivery
    count planted before the run (its 修复决定日期 lies before the as-of date, so nothing can flip)."""
    assert runs["planted_after_registration"]["repairs"] == [(REPAIRED, 101)]


def test_a_batch_reads_the_rejected_rows_of_its_own_files_only(runs):
    """February's files reject nothing: January's rejected row is kept as run 1 found it (the planted
    reason stays), not read again from every landed row; the re-delivery of January's file reads it
    again (the incremental tables equal a rebuild, below)."""
    assert runs["rejected"] == [("penalty/2026-01.csv", "found by run 1")]


def test_a_batch_measures_again_only_the_records_it_touched(runs):
    """February's batch: 3号 is new and the legacy-keyed licence is keyed again (every run), so the
    working days of those two are measured again (and 3号's publication window found) and the others
    keep their rows. The registry
    arrived with the batch: every record of its entities (COMPANY_A) gets its timeliness facts
    again, for 码名不符 reads the registry, and so does the legacy-keyed licence. An objection about
    1号 arrived too: its publication status, public row and entity row are recomputed with the
    legacy-keyed licence's (keyed now, so an entity row of its own), and 5号 keeps its rows. A repair of penalty 2号 arrived: its status is recomputed
    (and its public row goes) with new 3号's, and penalty 1号 keeps its rows."""
    assert runs["kept_after_batch"] == {
        "working_days": [("license", OBJECTED), ("license", UNTOUCHED), ("penalty", "济市监罚〔2026〕1号"),
                         ("penalty", "济市监罚〔2026〕2号")],
        "penalty_windows": [("penalty", "济市监罚〔2026〕1号"), ("penalty", "济市监罚〔2026〕2号")],
        "timeliness": [],
        "license_publication": [("license", UNTOUCHED)],
        "license_disclosures": [("license", UNTOUCHED)],
        "penalty_publication": [("penalty", "济市监罚〔2026〕1号")],
        "penalty_disclosures": [("penalty", "济市监罚〔2026〕1号")],
        "entity_licenses": [("license", UNTOUCHED)],
        "entity_penalties": [("penalty", "济市监罚〔2026〕1号")],
    }


def test_an_as_of_move_recomputes_the_records_whose_as_of_check_may_flip(runs):
    """The as-of date moves back before 3号's decision: 3号 and the legacy-keyed licence are
    recomputed, in both models, and the records dated before the new as-of date keep their rows.
    A licence's or penalty's publication status is as of the date (every row holds it): all are
    recomputed."""
    kept = [("license", OBJECTED), ("license", UNTOUCHED), ("penalty", "济市监罚〔2026〕1号"),
            ("penalty", "济市监罚〔2026〕2号")]
    assert runs["kept_after_as_of_move"] == {"working_days": kept, "timeliness": kept,
                                             "penalty_windows": [p for p in kept if p[0] == "penalty"],
                                             "license_publication": [], "license_disclosures": [],
                                             "penalty_publication": [], "penalty_disclosures": [],
                                             "entity_licenses": [], "entity_penalties": []}


def test_an_objection_that_arrives_later_marks_a_public_licence(runs):
    """1号's public row, recomputed when the objection arrived, is marked under objection until the
    as-of date moves back before its 受理日期 (the rebuild agrees: the tables equal it, below)."""
    published = dict(query(runs["warehouse"], "SELECT doc_no, under_objection FROM public.license_disclosures"))
    assert published[OBJECTED] is False and published[UNTOUCHED] is False
    assert runs["objected_after_batch"] == [(OBJECTED, True)]


def test_a_repair_that_arrives_later_takes_a_penalty_off_the_website(runs):
    """2号's status, recomputed when its repair arrived, is repaired and its public row is gone; it is
    published again once the as-of date moves back before the repair's decision (the rebuild agrees)."""
    after_batch = runs["penalties_after_batch"]
    assert after_batch["status"][REPAIRED] == "repaired"
    assert after_batch["public"] == ["济市监罚〔2026〕1号", "济市监罚〔2026〕3号"]
    status = dict(query(runs["warehouse"], "SELECT doc_no, publication_status FROM marts.fct_penalty_publication"))
    assert status[REPAIRED] == "publishing"


def test_a_redelivered_file_replaces_its_rows(runs):
    facts = query(runs["warehouse"], "SELECT doc_no, violation_facts, remarks FROM staging.stg_extracts__penalties "
                                     "WHERE file_path = 'penalty/2026-01.csv' ORDER BY doc_no")
    assert [f[1] for f in facts].count("更正后的违法事实") == 1
    assert all(remarks != "staged by run 1" for _, _, remarks in facts)


def test_the_as_of_check_follows_the_run_not_the_staged_rows(runs):
    defects = dict(query(runs["warehouse"], "SELECT doc_no, defects FROM intermediate.int_penalties__current"))
    assert "DATE_ORDER:decision_after_as_of" in defects["济市监罚〔2026〕3号"]  # decided 02-02, as of 01-31
    assert "DATE_ORDER:decision_after_as_of" not in defects["济市监罚〔2026〕1号"]


def test_a_registry_that_arrives_later_keys_a_record_built_earlier(runs):
    assert runs["unkeyed"] == [(None,)]  # January: no registry, the 组织机构代码 keys nobody
    keyed = query(runs["warehouse"], "SELECT entity_code, keyed_by FROM intermediate.int_licenses__current "
                                     f"WHERE doc_no = '{LEGACY_KEYED}'")
    assert keyed == [(COMPANY_B, "legacy_org_code")]


@pytest.mark.parametrize("table", BUILT_INCREMENTALLY)
def test_the_incremental_tables_equal_a_rebuild(runs, table):
    assert _rows(runs["warehouse"], table) == _rows(runs["rebuilt"], table)


def test_a_batch_does_not_test_the_unchanged_seeds_again(runs):
    """The seeds are project files: the build that loaded them under this project passed their data
    tests, and an incremental run (same project) does not run them again; every other check runs."""
    first, second = runs["reports"]
    seed_test, model_test, gate = "not_null_code_labels_code", "int_licenses__current", "gx_stg_extracts__penalties"
    assert [any(name in check for check in first.checks_passed) for name in (seed_test, model_test, gate)] == [True] * 3
    assert [any(name in check for check in second.checks_passed) for name in (seed_test, model_test, gate)] == [
        False, True, True]


def test_a_changed_project_rebuilds(runs, tmp_path):
    warehouse = tmp_path / "copy.duckdb"
    warehouse.write_bytes(runs["warehouse"].read_bytes())
    with duckdb.connect(str(warehouse)) as con:
        project = build_state.build_fingerprint(con)
        for step in ("dbt_staging", "dbt_downstream"):
            assert not build_state.needs_full_refresh(con, step, project)
        build_state.record_fingerprint(con, "dbt_staging", "a project as it was before a rule changed")
        assert build_state.needs_full_refresh(con, "dbt_staging", project)
        assert not build_state.needs_full_refresh(con, "dbt_downstream", project)  # each step has its own record
        con.execute(f"DROP TABLE {build_state.STATE_TABLE}")
        assert build_state.needs_full_refresh(con, "dbt_downstream", project)  # no record: nothing is known


def test_rows_landed_anew_under_unchanged_bytes_are_staged_again(runs, tmp_path):
    """A new PII key or masking rule re-lands every file with the same bytes: staging, incremental by
    path and sha256, must rebuild rather than keep rows computed the old way."""
    warehouse = tmp_path / "copy.duckdb"
    warehouse.write_bytes(runs["warehouse"].read_bytes())
    with duckdb.connect(str(warehouse)) as con:
        before = build_state.build_fingerprint(con)
        assert not build_state.needs_full_refresh(con, "dbt_staging", before)
        con.execute("UPDATE raw.landing_state SET pii_key_fingerprint = 'another key'")
        assert build_state.needs_full_refresh(con, "dbt_staging", build_state.build_fingerprint(con))


def test_a_batch_recomputes_the_profiles_of_its_entities_only(runs, tmp_path, monkeypatch):
    """On a copy of the final warehouse, the as-of date back at 2026-03-31 (no record dated after it,
    whose checks could flip), then a licence of COOPERATIVE_N arrives, the as-of date unchanged. Its
    profile is recomputed (one licence more), and so is COMPANY_B's, whose legacy-keyed licence is
    keyed again every run; COMPANY_A keeps the markers planted in its profile and in every row of its
    tier evidence (its penalties are evidence)."""
    raw, warehouse_dir = tmp_path / "raw", tmp_path / "wh"
    shutil.copytree(runs["warehouse"].parent.parent / "raw", raw, copy_function=shutil.copy2)
    shutil.copytree(runs["warehouse"].parent, warehouse_dir, copy_function=shutil.copy2,
                    ignore=shutil.ignore_patterns("published"))  # its links name the original's folder
    warehouse = warehouse_dir / runs["warehouse"].name
    profile, evidence = "marts.mart_entity_credit_profile", "marts.fct_credit_tier_evidence"
    _run(raw, warehouse, monkeypatch, as_of="2026-03-31")
    licenses_before = dict(query(warehouse, f"SELECT entity_code, licenses_total FROM {profile}"))
    evidence_of_a = query(warehouse, f"SELECT count(*) FROM {evidence} WHERE entity_code = '{COMPANY_A}'")
    with duckdb.connect(str(warehouse)) as con:
        con.execute(f"UPDATE {profile} SET supervision = '{MARKER}'")
        con.execute(f"UPDATE {evidence} SET reason = '{MARKER}'")
    write_records(raw / "license" / "2026-01-cooperative.csv",
                  [license_record("济市监许〔2026〕9号", decided="2026-01-20", submitted="2026-01-21 10:00",
                                  统一社会信用代码=COOPERATIVE_N, 行政相对人名称="薛城区绿源农民专业合作社")])
    _run(raw, warehouse, monkeypatch, as_of="2026-03-31")
    kept = dict(query(warehouse, f"SELECT entity_code, supervision = '{MARKER}' FROM {profile}"))
    assert kept == {COMPANY_A: True, COMPANY_B: False, COOPERATIVE_N: False}
    licenses_after = dict(query(warehouse, f"SELECT entity_code, licenses_total FROM {profile}"))
    assert licenses_after == {**licenses_before, COOPERATIVE_N: licenses_before[COOPERATIVE_N] + 1}
    assert evidence_of_a[0][0] > 0
    assert query(warehouse, f"SELECT entity_code, count(*) FROM {evidence} WHERE reason = '{MARKER}' GROUP BY ALL") == \
        [(COMPANY_A, evidence_of_a[0][0])]
