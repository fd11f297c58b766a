"""``creditwh`` — the warehouse's command line.

  creditwh run [--wait] [--full-refresh] [--allow-shrink] [-v]
                                    land raw_samples/ (or CREDIT_RAW_DIR): new files only, unless
                                    --full-refresh; build every asset, publish. Shows one line per
                                    phase and a summary; dbt's and Dagster's log go to
                                    <warehouse dir>/logs/run-<time>.log (-v: to the terminal too)
  creditwh publish [--wait] [--allow-shrink]
                                    publish the marts again (read-only DuckDB file + Parquet) for BI tools
  creditwh scorecard --quarter 2025Q4 [--region 370100] --out FILE.xlsx|.csv|.html
  creditwh bulletin [--month 2026-03] [--region 370300] --out FILE.xlsx|.csv|.html
                                    the monthly 双公示 bulletin (月度监测通报); default month: the last
                                    one that ends on or before the as-of date (CREDIT_AS_OF)
  creditwh report USCC [--public] --out FILE.html --purpose TEXT [--operator NAME]
                                    an entity's printable credit report (公共信用信息报告), numbered
                                    (报告编号); a code the warehouse does not know gets a printable
                                    未查询到相关信用记录 report. Exit 0: found; 1: not found (the
                                    no-record report written and logged); 2: refused; 3: busy
  creditwh report --verify NUMBER   was this report issued, when, about whom, as of which date, and
                                    does the warehouse still give the same content (exit 0: issued;
                                    1: not issued)
  creditwh profile USCC --purpose TEXT [--operator NAME]
                                    an entity's credit profile and tier, printed
  creditwh sample --region 370100 --purpose TEXT [--seed N] [--operator NAME] --out FILE.xlsx|.csv
                                    a 双随机 draw per credit tier, reproducible from its seed
Every report and profile look-up is registered in audit.query_log (查询使用登记), every draw in
audit.sample_log. While a run holds the warehouse, report, profile, scorecard and bulletin answer
from the last publication (or, with --wait, wait for the run); they never open the live warehouse
then.
"""

from __future__ import annotations

import argparse
import atexit
import json
import logging
import os
import re
import sys
import time
import warnings
from pathlib import Path

from creditwh.warehouse.lock import EXIT_BUSY
from creditwh.warehouse.settings import Settings, SettingsError


LISTED = 20  # rejected files and row reasons shown; the log file holds them all


AUDIT_STEP = "dbt_downstream"  # builds audit.extract_files and audit.rejected_rows


def _landing_summary(settings: Settings, audit_rebuilt: bool) -> tuple[list[str], list[str]]:
    """(lines for the terminal, lines for the log file): every file not loaded with its reason, from
    the landing manifest; the rows landed and rejected (by reason) from the audit models, when this
    run rebuilt them (else they describe an earlier run, and are not shown)."""
    from creditwh.warehouse.access import connect

    with connect(settings, read_only=True) as con:
        files = dict(con.execute("SELECT status, count(*) FROM raw.extract_files GROUP BY status").fetchall())
        not_loaded = con.execute("SELECT status, file_path, reason FROM raw.extract_files "
                                 "WHERE status <> 'loaded' ORDER BY status DESC, file_path").fetchall()
        if audit_rebuilt:
            landed, rejected = con.execute("SELECT coalesce(sum(rows_landed), 0), coalesce(sum(rows_rejected), 0) "
                                           "FROM audit.extract_files").fetchall()[0]
            reasons = con.execute("SELECT reason, count(*) AS n FROM audit.rejected_rows "
                                  "GROUP BY reason ORDER BY n DESC, reason").fetchall()
    rows = (f"rows: {landed} landed, {rejected} rejected" if audit_rebuilt
            else "rows: not counted (the audit models were not rebuilt)")
    shown = [f"  files: {files.get('loaded', 0)} loaded, {files.get('duplicate', 0)} duplicate, "
             f"{files.get('rejected', 0)} rejected; {rows}"]
    every_file = [f"    {status} {path}: {reason}" for status, path, reason in not_loaded]
    shown += _at_most(every_file, "files")
    every_reason = [f"    {n} row{'' if n == 1 else 's'}: {reason}" for reason, n in reasons] if audit_rebuilt else []
    if every_reason:
        shown.append("  rejected rows by reason:")
        shown += _at_most(every_reason, "reasons")
    return shown, every_file + every_reason


def _at_most(lines: list[str], what: str) -> list[str]:
    if len(lines) <= LISTED:
        return lines
    return lines[:LISTED] + [f"    … and {len(lines) - LISTED} more {what} (all in the log file)"]


NON_BLOCKING = " (non-blocking)"  # how defs/quality/checks.py marks a finding that only warns


def _gate_lines(report) -> list[str]:
    """Failed and warned gates in words: the table, the failing expectation's unexpected rows and
    what it asks (its notes); a check without findings (a dbt test) by its description."""
    lines = []
    for verdict, checks in (("FAILED", report.checks_failed), ("WARNED", report.checks_warned)):
        for name, description in checks:
            table = name.split(":")[0].replace("/", ".")
            findings = report.gate_failures.get(name, [])
            if not findings:
                lines.append(f"  {verdict} {table}: {description}")
            for finding in sorted(findings, key=_only_warns):  # what stopped the line first
                said = "WARNED" if _only_warns(finding) else verdict
                lines.append(f"  {said} {table}: {_finding_words(finding)}")
    return lines


def _only_warns(markdown_line: str) -> bool:
    """A failed gate's non-blocking findings are warnings."""
    return markdown_line.endswith(NON_BLOCKING) or f"{NON_BLOCKING} — " in markdown_line


def _finding_words(markdown_line: str) -> str:
    """'- expect_x(col): 2 of 90 rows (non-blocking) — notes' -> '2 of 90 rows — notes'."""
    head, _, notes = markdown_line.removeprefix("- ").partition(" — ")
    label, _, detail = head.partition(": ")
    detail = detail.removesuffix(NON_BLOCKING) or label
    detail = re.sub(r"^1 rows\b", "1 row", detail)
    return f"{detail} — {notes}" if notes else detail


def _waiting(command: str):
    """What a command says before it blocks on the warehouse lock: whom it waits for."""
    from creditwh.warehouse.lock import describe_holder

    def waiting(holder):
        print(f"creditwh {command}: waiting for the warehouse lock — {describe_holder(holder)}", flush=True)

    return waiting


def _locked(settings: Settings, command: str, wait: bool):
    """The warehouse lock for a command, telling the user whom it waits for (or refusing)."""
    from creditwh.warehouse.lock import warehouse_lock

    return warehouse_lock(settings.warehouse_dir, f"creditwh {command}", wait=wait, on_wait=_waiting(command))


def _busy(command: str, exc) -> int:
    print(f"creditwh {command}: refused — {exc}. Nothing was changed. Wait for it to finish, or pass --wait "
          "to queue behind it.", file=sys.stderr)
    return EXIT_BUSY


def cmd_run(args: argparse.Namespace) -> int:
    from creditwh.report.lookup import fold_pending_when_free
    from creditwh.warehouse.lock import WarehouseBusy

    settings = Settings.from_env()
    try:
        with _locked(settings, "run", args.wait):
            code = _run(args, settings)
    except WarehouseBusy as exc:
        return _busy("run", exc)
    fold_pending_when_free(settings)  # a look-up registered between the run's last fold and its letting go
    return code


def _run(args: argparse.Namespace, settings: Settings) -> int:
    from creditwh.cli_output import logs_to_file, phase_progress, run_log_path

    warnings.filterwarnings("ignore", category=Warning, module="dagster")
    header = f"creditwh run: {settings.raw_dir} -> {settings.warehouse_path} (as of {settings.as_of})"
    print(header, flush=True)
    started = time.monotonic()
    from creditwh.pipeline import materialize_all

    log_path = run_log_path(settings.warehouse_dir)
    with phase_progress(args.verbose), logs_to_file(log_path, args.verbose):
        if not args.verbose:  # the log file starts with what the terminal was told
            print(header)
        report = materialize_all(settings, log_level=args.log_level, full_refresh=args.full_refresh,
                                 allow_shrink=args.allow_shrink)
        summary = _summary_lines(settings, report)
        print(*summary.pop("log"), sep="\n")
    _fold_lookups(settings)

    elapsed = time.monotonic() - started
    print(f"creditwh run {'finished' if report.ok else 'FAILED'} in {elapsed:.1f}s")
    if args.report_json:
        Path(args.report_json).write_text(json.dumps({
            "ok": report.ok, "seconds": round(elapsed, 3), "step_seconds": report.step_seconds,
            "checks_passed": len(report.checks_passed), "checks_failed": [name for name, _ in report.checks_failed],
            "steps_failed": [step for step, _ in report.steps_failed],
        }, ensure_ascii=False, indent=2), encoding="utf-8")
    print(*summary["shown"], sep="\n")
    print(f"  log: {log_path}")
    if report.ok:
        print(f"  warehouse: {settings.warehouse_path}")
        _print_publication(settings)
        print(f"  browse this run: ./dev ui  (then open http://127.0.0.1:3000/runs/{report.run_id})")
        return 0
    print("  nothing published: the last publication stays in place")
    return 1


def _summary_lines(settings: Settings, report) -> dict[str, list[str]]:
    """{"shown": the summary's lines, "log": what only the log file gets (every step, every file)}."""
    audit_rebuilt = AUDIT_STEP in report.step_seconds and AUDIT_STEP not in dict(report.steps_failed)
    try:
        shown, log = _landing_summary(settings, audit_rebuilt)
    except Exception as exc:  # the audit tables are not there when landing or dbt failed
        shown, log = [f"  (no audit summary: {exc.__class__.__name__})"], []
    warned = {name for name, _ in report.checks_warned}  # a warned check may also count as passed
    shown.append(f"  checks: {len(set(report.checks_passed) - warned)} passed, {len(warned)} warned, "
                 f"{len(report.checks_failed)} failed")
    shown += _gate_lines(report)
    failed_checks = {name.split(":")[0].replace("/", "__") + "_" + name.split(":")[1]
                     for name, _ in report.checks_failed}
    shown += [f"  FAILED step {step}: {message}" for step, message in report.steps_failed
              if step not in failed_checks]
    if report.steps_skipped:
        shown.append(f"  {len(report.steps_skipped)} steps skipped: an upstream step or a blocking check failed")
    log += ["step seconds: " + ", ".join(f"{step} {seconds:.1f}s" for step, seconds in
                                          sorted(report.step_seconds.items(), key=lambda item: -item[1]))]
    log += [f"skipped {step}" for step in report.steps_skipped]
    return {"shown": shown, "log": log}


def _fold_lookups(settings: Settings) -> None:
    """Look-ups registered beside the warehouse while this command held it, into audit.query_log."""
    from creditwh.report.lookup import fold_pending_queries

    try:
        if folded := fold_pending_queries(settings):
            print(f"  {folded} look-ups made during the run entered in audit.query_log")
    except Exception as exc:  # noqa: BLE001 - they stay pending for the next holder of the lock
        print(f"  look-ups made during the run stay pending ({exc.__class__.__name__}); the next look-up enters them")


def _print_publication(settings: Settings) -> None:
    from creditwh.warehouse.publishing import MANIFEST_NAME, published_dir, published_duckdb, published_parquet, read_only_url

    manifest = published_dir(settings) / MANIFEST_NAME
    if not manifest.exists():
        return
    doc = json.loads(manifest.read_text(encoding="utf-8"))
    print(f"  published {len(doc['tables'])} tables (as of {doc['as_of']}, publication {doc['publication']}):")
    print(f"    {read_only_url(published_duckdb(settings))}")
    print(f"    {published_parquet(settings)}/<schema>.<table>/data.parquet")


def cmd_publish(args: argparse.Namespace) -> int:
    from creditwh.warehouse.lock import WarehouseBusy
    from creditwh.warehouse.publishing import PublishError, publish

    settings = Settings.from_env()
    try:
        with _locked(settings, "publish", args.wait):
            _fold_lookups(settings)
            publish(settings, allow_shrink=args.allow_shrink)
    except WarehouseBusy as exc:
        return _busy("publish", exc)
    except PublishError as exc:
        print(f"creditwh publish: {exc}; the last publication stays in place", file=sys.stderr)
        return 2
    _print_publication(settings)
    return 0


def cmd_scorecard(args: argparse.Namespace) -> int:
    from creditwh.report import EntityLookupError
    from creditwh.scorecard import ScorecardError, load_scorecard, write_scorecard

    settings = Settings.from_env()
    out = Path(args.out)
    try:
        _check_out(out)
        with _source(settings, args, "scorecard", read_only=True) as source:
            scorecard = load_scorecard(source.con, args.quarter, args.region)
        if unwritten := _written(out, lambda path: write_scorecard(scorecard, path)):
            raise OutError(unwritten)
    except (ScorecardError, EntityLookupError, OutError) as exc:
        print(f"creditwh scorecard: {exc}", file=sys.stderr)
        return getattr(exc, "exit_code", 2)
    departments = scorecard.departments
    where = f" {scorecard.region_code} {scorecard.region_name}" if scorecard.region_code else ""
    print(f"{scorecard.quarter}{where}: {len(departments)} departments, "
          f"{int(departments['needs_rectification'].sum())} need rectification (需整改), "
          f"{len(scorecard.problems)} problem records")
    print(source.describe())
    print(f"wrote {out}")
    return 0


def cmd_bulletin(args: argparse.Namespace) -> int:
    from creditwh.bulletin import BulletinError, load_bulletin, write_bulletin
    from creditwh.bulletin.export import SUFFIXES
    from creditwh.periods import last_complete_month
    from creditwh.report import EntityLookupError

    settings = Settings.from_env()
    out = Path(args.out)
    month = args.month or last_complete_month(settings.as_of)
    try:
        _check_out(out, SUFFIXES)
        with _source(settings, args, "bulletin", read_only=True) as source:
            bulletin = load_bulletin(source.con, month, args.region)
        if unwritten := _written(out, lambda path: write_bulletin(bulletin, path)):
            raise OutError(unwritten)
    except (BulletinError, EntityLookupError, OutError) as exc:
        print(f"creditwh bulletin: {exc}", file=sys.stderr)
        return getattr(exc, "exit_code", 2)
    where = f" {bulletin.region_code} {bulletin.region_name}" if bulletin.region_code else ""
    total = bulletin.overview.iloc[-1]
    print(f"{bulletin.month}{where}: {total['records']} records, {total['zero_delivery_units']} units with no "
          f"delivery (零报送), {total['named_units']} named (点名通报), {len(bulletin.problems)} problem records")
    print(source.describe())
    print(f"wrote {out}")
    return 0


class OutError(Exception):
    """--out names a place the file cannot be written: one line for the user."""


def _check_out(out: Path, suffixes: tuple[str, ...] = (), folder_must_exist: bool = False) -> None:
    """Refuse an --out that cannot be written before anything is looked up."""
    if suffixes and out.suffix.lower() not in suffixes:
        raise OutError(f"--out 应为 {' 或 '.join(suffixes)} 文件，收到 {out}")
    if folder_must_exist and not out.parent.is_dir():
        raise OutError(f"输出目录 {out.parent} 不存在")
    if out.is_dir():
        raise OutError(f"--out {out} 是一个已存在的文件夹，请给出文件名 (an existing folder, not a file)")
    parent = next((p for p in out.absolute().parents if p.exists()), None)
    if parent is not None and not (parent.is_dir() and os.access(parent, os.W_OK | os.X_OK)):
        raise OutError(f"--out {out}: 无法写入 {parent} (cannot write there)")


def _written(out: Path, write) -> str | None:
    """Write through ``write(out)``; the one-line reason when it failed, else None."""
    try:
        write(out)
    except OSError as exc:
        return f"无法写入 {out}：{exc.strerror or exc} (the file was not written)"
    return None


def _source(settings: Settings, args: argparse.Namespace, command: str, read_only: bool = False):
    from creditwh.report.source import lookup_source

    return lookup_source(settings, command, wait=args.wait, on_wait=_waiting(command), read_only=read_only)


def _request(args: argparse.Namespace) -> tuple[str, str, str]:
    """(code, operator, purpose) of a look-up, what was typed masked; EntityLookupError when unusable."""
    from creditwh.report import EntityLookupError, checked_code, os_user
    from creditwh.report.lookup import typed_text

    code = checked_code(args.code)
    operator = typed_text(args.operator) or os_user() or "unknown"
    purpose = typed_text(args.purpose)
    if not purpose:
        raise EntityLookupError("--purpose 不能为空：查询用途须登记（查询使用登记）")
    return code, operator, purpose


def _lookup(args: argparse.Namespace, command: str, out: Path | None = None):
    """Check the code, read the entity (report or profile) from the warehouse or the last publication,
    write the report (when ``out``: numbered, a 未查询到相关信用记录 one when the entity is unknown) and
    register the look-up. Returns (code, report-or-None, source, why-not-written-or-None);
    EntityLookupError on what cannot be answered."""
    from creditwh.report import QueryLogEntry, load_entity_report, not_found_report

    code, operator, purpose = _request(args)
    public = getattr(args, "public", False)
    with _source(Settings.from_env(), args, command) as source:
        report = load_entity_report(source.con, code, public=public, operator=operator, purpose=purpose)
        if report is None and out:
            report = not_found_report(source.con, code, public=public, operator=operator, purpose=purpose)
        report, digest, unwritten = _issued(report, out) if out else (report, None, None)
        source.register(QueryLogEntry(
            command=command, entity_code=code, entity_found=report is not None and report.found, operator=operator,
            purpose=purpose, is_public=public, out_file=out if digest else None,
            warehouse_as_of=report.as_of if report is not None else None, answered_from=source.answered_from,
            report_no=report.report_no if digest else None, content_sha256=digest,
        ))
    return code, report, source, unwritten


def _issued(report, out: Path):
    """The report numbered and written to ``out``: (report, its content digest or None when not written,
    why not written or None)."""
    from dataclasses import replace

    from creditwh.report import write_report_html
    from creditwh.report.number import new_report_no, report_digest

    report = replace(report, report_no=new_report_no(report.generated_at.date()))
    unwritten = _written(out, lambda path: write_report_html(report, path))
    return report, None if unwritten else report_digest(report), unwritten


def _not_found(command: str, code: str) -> int:
    print(f"creditwh {command}: 数据仓库中没有统一社会信用代码为 {code} 的主体（既不在登记信息中，也没有信用记录）。"
          "本次查询已登记。", file=sys.stderr)
    return 1


def _report_request_problem(args: argparse.Namespace) -> str | None:
    """What is missing from (or does not go with) a report's arguments; None when they are complete."""
    if args.verify is not None:
        extra = [flag for flag, value in (("USCC", args.code), ("--out", args.out), ("--purpose", args.purpose),
                                          ("--public", args.public)) if value]
        return f"--verify 只需报告编号，不与 {'、'.join(extra)} 同用" if extra else None
    if not args.code:
        return "请给出要查询的统一社会信用代码（USCC），或用 --verify 报告编号 核验一份报告"
    if not args.out:
        return "请用 --out 给出报告文件（.html）"
    return None


def cmd_report(args: argparse.Namespace) -> int:
    from creditwh.report import EntityLookupError

    problem = _report_request_problem(args)
    if problem:
        print(f"creditwh report: {problem}", file=sys.stderr)
        return 2
    if args.verify is not None:
        return _verify(args)
    out = Path(args.out)
    try:
        _check_out(out, (".html", ".htm"), folder_must_exist=True)
        code, report, source, unwritten = _lookup(args, "report", out)
    except (EntityLookupError, OutError) as exc:
        print(f"creditwh report: {exc}", file=sys.stderr)
        return getattr(exc, "exit_code", 2)
    if unwritten:
        print(f"creditwh report: {unwritten}。本次查询已登记。", file=sys.stderr)
        return 2
    version = "公开版" if report.public else "内部版"
    name = report.profile["entity_name"] or code if report.found else "未查询到相关信用记录"
    print(f"{name}（{code}）: 公共信用信息报告（{version}），数据截至 {report.as_of or '—'}，报告编号 {report.report_no}")
    print(source.describe())
    print(f"wrote {out}")
    if not report.found:
        _not_found("report", code)
        print("已出具“未查询到相关信用记录”报告。", file=sys.stderr)
        return 1
    return 0


def _verify(args: argparse.Namespace) -> int:
    """creditwh report --verify NUMBER: exit 0 when the number was issued, 1 when not, 3 when busy."""
    from creditwh.report import EntityLookupError
    from creditwh.report.number import normalised_report_no
    from creditwh.report.verify import recheck

    number = normalised_report_no(args.verify)
    if number is None:
        print(f"报告编号「{args.verify}」格式不符（应为 CR-年月日-8位字符，如 CR-20260331-7K2M9QXD）：不是本平台出具的报告。")
        return 1
    try:
        with _source(Settings.from_env(), args, "report --verify") as source:
            issued = source.issuance(number)
            if issued is None and not source.holds_lock:
                print("creditwh report: 数据仓库正在构建，暂不能查阅报告登记；请稍后重试或加 --wait。", file=sys.stderr)
                return EXIT_BUSY
            again = recheck(source.con, issued) if issued else None
    except EntityLookupError as exc:
        print(f"creditwh report: {exc}", file=sys.stderr)
        return exc.exit_code
    if issued is None:
        print(f"报告编号 {number}：未查到出具登记——本平台未出具过此编号的报告（编号有误或报告系伪造）。")
        return 1
    for line in _issuance_lines(issued, again):
        print(line)
    return 0


def _issuance_lines(issued, again) -> list[str]:
    """What --verify prints of an issued report: the register's facts, then the content check."""
    entity = f"{issued.entity_code}" + (f"（{again.entity_name}）" if again.entity_name else "")
    if again.same_content is None:
        check = f"未核对：数据仓库现数据截至 {again.as_of or '—'}，与报告的数据截至日期不同"
    elif again.same_content:
        check = "一致：按同一数据截至日期重新生成的内容与出具时相同"
    else:
        check = "不一致：按同一数据截至日期重新生成的内容与出具时不同（出具后数据有更正），请以重新出具的报告为准"
    return [
        f"报告编号 {issued.report_no}：已出具",
        f"出具时间\t{issued.issued_at:%Y-%m-%d %H:%M:%S}（北京时间）",
        f"主体\t{entity}",
        f"版本\t{'公开版' if issued.is_public else '内部版'}",
        f"数据截至\t{issued.as_of or '—'}",
        f"查询结果\t{'有信用档案' if issued.entity_found else '未查询到相关信用记录'}",
        f"内容核对\t{check}",
    ]


def cmd_profile(args: argparse.Namespace) -> int:
    from creditwh.render import DATE, RATIO, text
    from creditwh.report import EntityLookupError
    from creditwh.report.sections import decisive_record, lists_on

    try:
        code, report, source, _ = _lookup(args, "profile")
    except EntityLookupError as exc:
        print(f"creditwh profile: {exc}", file=sys.stderr)
        return exc.exit_code
    if report is None:
        return _not_found("profile", code)
    p = report.profile
    registry = f"{p['entity_type']} {p['registration_status']}" if p["in_registry"] else "不在登记信息中"
    lines = [
        ("统一社会信用代码", code),
        ("主体名称", p["entity_name"] or "—"),
        ("行政区划", f"{p['region_code']} {report.region_name or ''}".strip()),
        ("登记信息", registry),
        ("信用等级", f"{p['credit_tier']} {p['tier_name']}（截至 {report.as_of}）"),
        ("分级依据", p["tier_reason"]),
        ("依据记录", decisive_record(report)),
        ("监管措施", f"{p['supervision']}（抽查比例 {text(p['sampling_ratio'], RATIO)}）"),
        ("行政许可", str(p["licenses_total"])),
        ("行政处罚", f"{p['penalties_total']}（公示中 {p['penalties_publishing']}）"),
        ("名单（有效）", lists_on(p)),
        ("信用承诺", f"{p['commitments_total']}（违诺 {p['commitment_breaches']}）"),
        ("信用修复", str(p["repairs_total"])),
        ("最近信用事件", text(p["last_event_date"], DATE)),
    ]
    for label, value in lines:
        print(f"{label}\t{value}")
    print(f"（查询已登记：查询人 {report.operator}，用途 {report.purpose}）")
    print(source.describe())
    return 0


def cmd_sample(args: argparse.Namespace) -> int:
    from creditwh.report import EntityLookupError
    from creditwh.sampling import SampleError, SampleLogEntry, draw_sample, load_population, new_seed, register_draw
    from creditwh.sampling.export import check_suffix, write_sample

    settings = Settings.from_env()
    out = Path(args.out)
    try:
        check_suffix(out)
        _check_out(out)
        operator, purpose = _typed_request(args)
        seed = new_seed() if args.seed is None else args.seed
        with _source(settings, args, "sample") as source:
            if not source.holds_lock:  # the draw must be logged in the warehouse a run is rebuilding
                raise SampleError(f"{source.why}；抽取须登记在数据仓库中，请加 --wait 等构建结束后抽取。未抽取。",
                                  exit_code=EXIT_BUSY)
            draw = draw_sample(load_population(source.con, _region(args.region)), seed)
            unwritten = _written(out, lambda path: write_sample(draw, path, purpose))
            register_draw(source, SampleLogEntry.of(draw, operator, purpose, None if unwritten else out,
                                                    source.answered_from))
    except (SampleError, EntityLookupError, OutError) as exc:
        print(f"creditwh sample: {exc}", file=sys.stderr)
        return getattr(exc, "exit_code", 2)
    if unwritten:
        print(f"creditwh sample: {unwritten}。本次抽取已登记。", file=sys.stderr)
        return 2
    population = draw.population
    print(f"{population.region_code} {population.region_name or ''}（数据截至 {population.as_of}）："
          f"从 {len(population.entities)} 户中抽取 {len(draw.entities)} 户（{draw.sizes()}）")
    print(f"随机种子 {seed}（加 --seed {seed} 可复现本次抽取）；已登记于 audit.sample_log")
    print(source.describe())
    print(f"wrote {out}")
    return 0


def _typed_request(args: argparse.Namespace) -> tuple[str, str]:
    """(operator, purpose) as typed, identity numbers masked; EntityLookupError without a purpose."""
    from creditwh.report import EntityLookupError, os_user
    from creditwh.report.lookup import typed_text

    purpose = typed_text(args.purpose)
    if not purpose:
        raise EntityLookupError("--purpose 不能为空：抽查事项须登记")
    return typed_text(args.operator) or os_user() or "unknown", purpose


def _region(text: str) -> str:
    """A region code as typed, full-width digits and blanks forgiven."""
    import unicodedata

    return "".join(unicodedata.normalize("NFKC", text).split())


def _seed(text: str) -> int:
    seed = int(text)
    if not 0 <= seed < 2**63:
        raise argparse.ArgumentTypeError("the seed is a whole number from 0 to 2^63-1")
    return seed


ALLOW_SHRINK_HELP = ("publish even if a table would lose most of the rows the last publication held "
                     "(refused without it: an empty or half-mounted raw folder looks like that)")
# The default answers at once: a clerk at a service window cannot keep a citizen waiting for a
# rebuild, and the last publication is the verified data the credit website shows, its date stated.
LOOKUP_WAIT_HELP = ("while a run holds the warehouse, wait for it to finish and answer from what it built "
                    "(default: answer at once from the last publication, saying so)")


PURPOSE_HELP = "查询用途, recorded in audit.query_log (e.g. 行政许可审查, 财政资金申报审核, 双随机抽查)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="creditwh", description="Public credit data warehouse (公共信用信息平台)")
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command")  # none: print the help (main)
    run = sub.add_parser("run", help="land the extracts and materialise every asset, gates included")
    run.add_argument("-v", "--verbose", action="store_true",
                     help="stream dbt's and Dagster's log to the terminal too (it always goes to the run's log "
                          "file, <warehouse dir>/logs/run-<time>.log)")
    run.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"],
                     help="the threshold of Dagster's log (default INFO)")
    run.add_argument("--wait", action="store_true",
                     help="if another run holds the warehouse, wait for it instead of refusing")
    run.add_argument("--report-json", metavar="FILE", help="also write the run's outcome and step timings as JSON")
    run.add_argument("--full-refresh", action="store_true",
                     help="re-read every delivered file and rebuild staging from scratch (runs are incremental: "
                          "only new or changed files are read, unless the dbt project changed)")
    run.add_argument("--allow-shrink", action="store_true", help=ALLOW_SHRINK_HELP)
    run.set_defaults(func=cmd_run)
    pub = sub.add_parser("publish", help="publish the marts for BI tools (done at the end of every successful run)")
    pub.add_argument("--wait", action="store_true",
                     help="if a run holds the warehouse, wait for it instead of refusing")
    pub.add_argument("--allow-shrink", action="store_true", help=ALLOW_SHRINK_HELP)
    pub.set_defaults(func=cmd_publish)
    card = sub.add_parser("scorecard", help="write a quarter's 双公示 scorecard (季度评估) for evaluators")
    card.add_argument("--quarter", required=True, help="evaluation quarter, e.g. 2025Q4")
    card.add_argument("--region", help="a region code (370100 济南市): that region and what lies under it")
    card.add_argument("--out", required=True, help="output file; .xlsx, .csv or .html by its suffix")
    card.add_argument("--wait", action="store_true", help=LOOKUP_WAIT_HELP)
    card.set_defaults(func=cmd_scorecard)
    bull = sub.add_parser("bulletin", help="write a month's 双公示 bulletin (月度监测通报) for the departments")
    bull.add_argument("--month", help="monitoring month, e.g. 2026-03 (default: the last month that ends on or "
                                      "before the as-of date, CREDIT_AS_OF)")
    bull.add_argument("--region", help="a region code (370300 淄博市): that region and what lies under it")
    bull.add_argument("--out", required=True, help="output file; .xlsx, .csv or .html by its suffix")
    bull.add_argument("--wait", action="store_true", help=LOOKUP_WAIT_HELP)
    bull.set_defaults(func=cmd_bulletin)
    lookup = argparse.ArgumentParser(add_help=False)
    lookup.add_argument("--operator", help="查询人, recorded in audit.query_log (default: the OS user)")
    lookup.add_argument("--wait", action="store_true", help=LOOKUP_WAIT_HELP)
    rep = sub.add_parser("report", parents=[lookup],
                         usage="creditwh report USCC [--public] --out FILE.html --purpose TEXT [--operator NAME] "
                               "[--wait]\n       creditwh report --verify NUMBER [--wait]",
                         help="write an entity's printable, numbered credit report (公共信用信息报告); the look-up is "
                              "logged. --verify NUMBER confirms a report")
    rep.add_argument("code", metavar="USCC", nargs="?", help="统一社会信用代码 of the entity")
    rep.add_argument("--purpose", help=PURPOSE_HELP)
    rep.add_argument("--public", action="store_true",
                     help="only what may be published on the credit website: no personal data, no tier")
    rep.add_argument("--out", help="output .html file")
    rep.add_argument("--verify", metavar="NUMBER",
                     help="confirm a report by its number (报告编号): issued or not, when, for which entity and "
                          "version, as of which date, and whether the warehouse still gives the same content")
    rep.set_defaults(func=cmd_report)
    prof = sub.add_parser("profile", parents=[lookup],
                          help="print an entity's credit profile and tier with its reason; the look-up is logged")
    prof.add_argument("code", metavar="USCC", help="统一社会信用代码 of the entity")
    prof.add_argument("--purpose", required=True, help=PURPOSE_HELP)
    prof.set_defaults(func=cmd_profile)
    draw = sub.add_parser("sample", help="draw a 双随机 sample of a region's registered entities per credit tier; "
                                         "the draw is logged in audit.sample_log")
    draw.add_argument("--region", required=True, help="a region code (370100 济南市): that region and what lies under it")
    draw.add_argument("--purpose", required=True, help="抽查事项, recorded in audit.sample_log")
    draw.add_argument("--seed", type=_seed,
                      help="the random seed: the same seed, warehouse and region give the same list "
                           "(default: a new one, printed and logged)")
    draw.add_argument("--operator", help="抽取人, recorded in audit.sample_log (default: the OS user)")
    draw.add_argument("--out", required=True, help="output file; .xlsx or .csv by its suffix")
    draw.add_argument("--wait", action="store_true",
                      help="while a run holds the warehouse, wait for it to finish (a draw is logged in the warehouse)")
    draw.set_defaults(func=cmd_sample)
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("creditwh")
    except PackageNotFoundError:  # run from a checkout without installing
        return "unknown (not installed)"


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:  # `creditwh` alone: what it can do, not an error
        parser.print_help()
        return 0
    try:
        Settings.from_env()  # a bad CREDIT_* variable is refused before anything starts
        return args.func(args)
    except SettingsError as exc:
        print(f"creditwh {args.command}: {exc}", file=sys.stderr)
        return 2


def entrypoint() -> None:
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # duckdb 2.0's bindings print a page of "nanobind: leaked ..." at interpreter shutdown;
    # everything is written and closed by now, so leave without the teardown noise. The exit
    # handlers still run: multiprocessing's unlinks the semaphores of dbt's manifests (each holds
    # a multiprocessing Lock), which its resource tracker otherwise reports as leaked.
    atexit._run_exitfuncs()
    os._exit(code)


if __name__ == "__main__":
    entrypoint()
