"""Identity numbers wherever a department puts them (issue 15; rules.md "Personal information").

Persons' numbers are planted where no column is meant for them: 18- and 15-digit, half- and
full-width, with spaces inside, with letters around, in a name, 违法事实, 处罚内容, 备注, a 文书号,
the 统一社会信用代码 column (a 个体工商户's operator), 住所, 列入事由, a rejected row, and a file's name.
The whole graph runs, the scorecard and both reports of the entity are written, and then
everything the run wrote is scanned for any of those numbers, in any form."""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import re
import unicodedata
import zipfile
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from dagster._serdes import serialize_value

from creditwh.cli import main
from creditwh.codes import make_ric
from creditwh.warehouse.settings import REPO_ROOT
from e2e.helpers import (
    COMPANY_A, COMPANY_B, CREDIT_LIST_HEADER, JINAN_SCJGJ, OBJECTION_HEADER, PENALTY_HEADER, REGISTRY_HEADER, SHOP_D,
    credit_list_row, gate_failures, objection_row, penalty_row, person_data_in_public, query, registry_rows, run,
    write_csv,
)

AS_OF = "2026-03-31"
NAME_ID = make_ric("370102", date(1983, 2, 14), 113)  # in 行政相对人名称
FACTS_ID = make_ric("370103", date(1977, 7, 7), 3)  # in 违法事实, with spaces
OLD_ID = "370104" + "850612" + "271"  # 15 digits (1985-06-12), in 处罚内容
REMARKS_ID = make_ric("370112", date(1969, 12, 31), 88)  # in 备注, full-width digits
DOC_ID = "37010519900703103X"  # in 文书号, letters around, lower-case x
OPERATOR_ID = make_ric("370102", date(1979, 4, 1), 517)  # a 个体工商户's 统一社会信用代码
ADDRESS_ID = make_ric("370102", date(2001, 1, 9), 42)  # in the registry's 住所
REASON_ID = make_ric("370303", date(1958, 9, 30), 611)  # in 列入事由
REJECTED_ID = make_ric("370402", date(1995, 5, 5), 250)  # in rows that do not land
FILE_NAME_ID = make_ric("370181", date(1988, 8, 8), 8)  # in a file's name
OBJECTOR_ID = make_ric("370102", date(1990, 6, 30), 27)  # a 自然人 objector's 证件号码 (异议处理)
OBJECTION_REASON_ID = make_ric("370103", date(1966, 1, 1), 45)  # in 异议理由
PLANTED = [NAME_ID, FACTS_ID, OLD_ID, REMARKS_ID, DOC_ID, OPERATOR_ID, ADDRESS_ID, REASON_ID, REJECTED_ID,
           OBJECTOR_ID, OBJECTION_REASON_ID]

FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
PENALTY_COLUMNS = PENALTY_HEADER + ["备注"]
DOC_NO = f"济市监罚〔2025〕ID{DOC_ID.lower()}号"


def spaced(number: str) -> str:
    return " ".join((number[:6], number[6:10], number[10:14], number[14:]))


def penalty(doc_no: str, **columns: str) -> list[str]:
    row = dict(zip(PENALTY_HEADER, penalty_row(doc_no, decided="2025-10-15", submitted="2025-10-16 09:30")))
    return [{**row, "备注": "", **columns}[c] for c in PENALTY_COLUMNS]


def planted_raw(raw: Path) -> Path:
    company = penalty(
        DOC_NO,
        行政相对人名称=f"济南鑫达建材有限公司(联系人{NAME_ID})",
        违法事实=f"当事人经营者身份证号 {spaced(FACTS_ID)} 超范围经营",
        处罚内容=f"罚款0.5万元，由{OLD_ID}缴纳",
        备注=f"经办人证件{REMARKS_ID.translate(FULL_WIDTH)}",
    )
    shop = penalty("济市监罚〔2025〕902号", 行政相对人名称="历下区张记小吃店", 行政相对人类别="个体工商户",
                   统一社会信用代码=OPERATOR_ID)
    no_doc_no = penalty("", 违法事实=f"无文书号 {REJECTED_ID}")
    # ordinary rows: the staging gates judge shares of rows (e.g. 90 % of codes well-formed)
    ordinary = [penalty(f"济市监罚〔2025〕{n}号") for n in range(1, 21)]
    penalties = write_csv(raw / "penalty" / "2025-10_jinan.csv", PENALTY_COLUMNS,
                          [company, shop, no_doc_no, *ordinary])
    with penalties.open("a", encoding="utf-8") as fh:
        fh.write(f"too,few,fields,{spaced(REJECTED_ID).translate(FULL_WIDTH)}\n")
    write_csv(raw / "registry" / "2025-07.csv", REGISTRY_HEADER + ["住所"],
              [row + [f"济南市历下区解放路{ADDRESS_ID}号" if row[3] == COMPANY_A else ""] for row in registry_rows()])
    designation = credit_list_row("淄环罚〔2025〕7号", "2025-11-03", uscc=SHOP_D, name="历下区张记小吃店",
                                  subject_type="个体工商户")
    designation[CREDIT_LIST_HEADER.index("列入事由")] = f"经营者(身份证{REASON_ID})受到较重行政处罚"
    write_csv(raw / "credit_list" / "2025-11_zibo.csv", CREDIT_LIST_HEADER, [designation])
    objection = objection_row("YY2025001", "行政处罚", "济市监罚〔2025〕1号", JINAN_SCJGJ, "2025-11-03",
                              subject_type="自然人", name="李四", person_id=OBJECTOR_ID)
    objection[OBJECTION_HEADER.index("异议理由")] = f"本人(身份证 {spaced(OBJECTION_REASON_ID)})并非当事人"
    write_csv(raw / "objection" / "2025-11_jinan.csv", OBJECTION_HEADER, [objection])
    # a number in a file's name only (of COMPANY_B: COMPANY_A's published penalties are counted below)
    write_csv(raw / "penalty" / f"2025-11_{FILE_NAME_ID}.csv", PENALTY_COLUMNS,
              [penalty("济市监罚〔2025〕903号", 行政相对人名称="淄博华联化工有限公司", 统一社会信用代码=COMPANY_B)])
    return raw


# --- what a run writes -----------------------------------------------------------------------


def _normalised(text: str) -> str:
    """Every form of a number the same: NFKC (full-width), upper case, no blanks or hyphens."""
    return re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", text)).upper()


def _duckdb_text(path: Path) -> str:
    with duckdb.connect(str(path), read_only=True) as con:
        tables = con.execute("""select database_name, schema_name, table_name from duckdb_tables()
                                where database_name = current_database()""").fetchall()
        dumps = [json.dumps(con.execute(f'select * from "{s}"."{t}"').fetchall(), default=str, ensure_ascii=False)
                 for _, s, t in tables]
    return "\n".join(dumps)


def _parquet_text(path: Path) -> str:
    with duckdb.connect() as con:
        return json.dumps(con.execute("select * from read_parquet(?)", [str(path)]).fetchall(),
                          default=str, ensure_ascii=False)


def _file_text(path: Path) -> str:
    if path.suffix == ".duckdb":
        return _duckdb_text(path)
    if path.suffix == ".parquet":
        return _parquet_text(path)
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as book:
            return "\n".join(book.read(name).decode("utf-8", "replace") for name in book.namelist())
    return path.read_bytes().decode("utf-8", "replace")


def planted_in(text: str, numbers: list[str]) -> list[str]:
    text = _normalised(text)
    return [n for n in numbers if n in text]


def leaks(root: Path, numbers: list[str]) -> dict[str, list[str]]:
    """The files under root (names and contents) holding a planted number in any form."""
    found = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.name.endswith(".wal")):
        if hits := planted_in(str(path.relative_to(root)) + "\n" + _file_text(path), numbers):
            found[str(path)] = hits
    return found


class _Written:
    """The dbt project's target and logs: what a run added to them (they are shared across runs)."""

    def __init__(self):
        self.roots = [REPO_ROOT / "dbt_project" / "target", REPO_ROOT / "dbt_project" / "logs"]
        self.sizes = self._sizes()

    def _sizes(self) -> dict[Path, int]:
        """Every file's size; one that another run's dbt removes meanwhile (pytest-xdist) is left out."""
        sizes = {}
        for root in self.roots:
            for folder, _, names in os.walk(root):  # os.walk skips a folder that vanishes
                for path in (Path(folder, name) for name in names):
                    with contextlib.suppress(OSError):
                        sizes[path] = path.stat().st_size
        return sizes

    def text(self) -> str:
        parts = []
        for path, size in self._sizes().items():
            before = self.sizes.get(path, 0) if path.name.endswith(".log") else 0
            with contextlib.suppress(OSError):
                parts.append(str(path) + "\n" + path.read_bytes()[before:].decode("utf-8", "replace"))
        return "\n".join(parts)


def build(raw: Path, tmp: Path) -> dict:
    """Run the graph over ``raw``, write the scorecard, the bulletin and both reports of COMPANY_A, and collect
    everything the run printed, logged and stored."""
    dbt_files = _Written()
    printed, handler = io.StringIO(), logging.StreamHandler()
    handler.setLevel(logging.DEBUG)
    handler.setStream(printed)
    logging.getLogger().addHandler(handler)
    try:
        with pytest.MonkeyPatch.context() as monkeypatch, contextlib.redirect_stdout(printed), \
                contextlib.redirect_stderr(printed):
            report, warehouse = run(raw, tmp, monkeypatch, as_of=AS_OF)
            exports = tmp / "exports"
            codes = [main(["scorecard", "--quarter", "2025Q4", "--out", str(exports / f"scorecard.{suffix}")])
                     for suffix in ("xlsx", "csv", "html")]
            codes += [main(["bulletin", "--month", "2025-10", "--out", str(exports / f"bulletin.{suffix}")])
                      for suffix in ("xlsx", "csv", "html")]
            codes += [main(["report", COMPANY_A, "--purpose", "信用审查", "--operator", "测试",
                            "--out", str(exports / "internal.html")]),
                      main(["report", COMPANY_A, "--public", "--purpose", "信用审查", "--operator", "测试",
                            "--out", str(exports / "public.html")])]
    finally:
        logging.getLogger().removeHandler(handler)
    # the Dagster home the run recorded into, beside the warehouse (also under ``tmp``, scanned as files)
    with dg.DagsterInstance.from_config(str(warehouse.parent / "dagster_home")) as instance:
        events = [serialize_value(entry) for run_record in instance.get_runs()
                  for entry in instance.all_logs(run_record.run_id)]
    return {"report": report, "warehouse": warehouse, "exit_codes": codes, "root": tmp, "raw": raw,
            "printed": printed.getvalue(), "events": "\n".join(events), "dbt": dbt_files.text()}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    return build(planted_raw(tmp_path_factory.mktemp("raw")), tmp_path_factory.mktemp("run"))


def test_the_run_passes_every_gate_and_writes_every_export(built):
    report = built["report"]
    assert report.ok, (report.steps_failed, report.checks_failed)
    assert "public/penalty_disclosures:gx_penalty_disclosures" in report.checks_passed
    assert built["exit_codes"] == [0] * 8
    assert {p.name for p in (built["root"] / "exports").iterdir()} >= {
        "scorecard.xlsx", "scorecard.csv", "scorecard.html", "bulletin.xlsx", "bulletin.csv", "bulletin.html",
        "internal.html", "public.html"}


def test_the_numbers_really_were_planted(built):
    """The scan below is only worth something if the planted text got everywhere else."""
    wh = built["warehouse"]
    assert query(wh, f"select count(*) from raw.penalty where 行政相对人名称 like '%{NAME_ID[:6]}********{NAME_ID[-4:]}%'") == [(1,)]
    published = query(wh, "select doc_no, entity_name, penalty_content from public.penalty_disclosures "
                          f"where entity_code = '{COMPANY_A}' order by doc_no like '%*%' desc")
    assert len(published) == 1 + 20
    assert "*" * 18 in published[0][0] and "*" * 15 in published[0][2]  # redacted, not even masked
    assert query(wh, "select count(*) from audit.rejected_rows") == [(2,)]
    # the objector (issue 18) landed keyed and masked, into the objection tables the scan then reads
    assert query(wh, "select person_id_masked, person_id_key is not null from staging.stg_extracts__objections") == [
        (OBJECTOR_ID[:6] + "*" * 8 + OBJECTOR_ID[-4:], True)]
    assert query(wh, "select person_name_masked from marts.fct_objections") == [("李*",)]


def test_the_scan_finds_every_planted_form(built):
    """A control: the scan below finds each number as it was planted (spaced, full-width, x)."""
    assert sorted(n for hits in leaks(built["raw"], PLANTED).values() for n in hits) == sorted(PLANTED)
    assert "STEP_SUCCESS" in built["events"] and "dbt" in built["dbt"]


def test_no_planted_number_in_anything_the_run_wrote(built):
    assert leaks(built["root"], PLANTED) == {}
    for what in ("printed", "events", "dbt"):
        assert planted_in(built[what], PLANTED) == [], what


def test_nothing_about_a_person_reaches_the_public_schema(built):
    assert person_data_in_public(built["warehouse"]) == []


def test_a_persons_number_typed_as_a_code_is_masked_keyed_and_flagged(built):
    wh = built["warehouse"]
    masked = OPERATOR_ID[:6] + "*" * 8 + OPERATOR_ID[-4:]
    (code, key, defects), = query(wh, """select subject_uscc, subject_uscc_person_key, defects
                                         from staging.stg_extracts__penalties where subject_type = '个体工商户'""")
    assert code == masked and len(key) == 64 and "INVALID:subject_uscc" in defects


def test_rejected_rows_keep_their_text_masked(built):
    texts = [t for (t,) in query(built["warehouse"], "select raw_text from audit.rejected_rows order by line_number")]
    assert len(texts) == 2 and all(REJECTED_ID[:6] in _normalised(t) for t in texts)


def test_the_public_gate_refuses_a_number_in_any_column_of_any_public_table(built):
    # the run's gates saw every public row pass: only a row changed since is scanned again
    assert (built["warehouse"].parent / "quality" / "seen_rows" / "public.penalty_disclosures.parquet").is_file()
    wh = built["warehouse"]
    spaced_full_width = spaced(FACTS_ID).translate(FULL_WIDTH)
    failed = gate_failures(wh, "public.penalty_disclosures",
                           f"update public.penalty_disclosures set authority_name = '处罚机关 {spaced_full_width}'")
    assert any("no identity number in any column" in d for d in failed)
    failed = gate_failures(wh, "public.penalty_disclosures",
                           f"update public.penalty_disclosures set penalty_categories = '{OLD_ID[:6]}*****{OLD_ID[-4:]}'")
    assert any("no identity number in any column" in d for d in failed)
    # a public table to come, with no suite of its own, is held to the same rule
    failed = gate_failures(wh, "public.future_disclosures",
                           f"create table public.future_disclosures as select 'ID{DOC_ID}' as doc_no")
    assert any("no identity number in any column" in d for d in failed)
    assert gate_failures(wh, "public.future_disclosures",
                         "create table public.future_disclosures as select '罚款0.5万元' as content") == []


def test_no_number_from_a_file_name_in_anything_the_run_wrote(built):
    assert leaks(built["raw"], [FILE_NAME_ID]), "the file name was not planted"
    assert built["report"].ok, (built["report"].steps_failed, built["report"].checks_failed)
    assert leaks(built["root"], [FILE_NAME_ID]) == {}
    for what in ("printed", "events", "dbt"):
        assert planted_in(built[what], [FILE_NAME_ID]) == [], what
