"""The benchmark: every measure of issue 20 in one command.

    .venv/bin/python bench/run_bench.py --records 1000000 --records 10000000 --pandas-max 1000000

At each size: the pipeline's full build, the hand-written DuckDB floor and the pandas baseline side
by side on the same generated extracts, each timed with its peak memory (RSS of its whole process
tree), their rpt_timeliness_quarterly compared row for row; each step of the full run beside its own
floor (bench/floor.py); then, on the full run's warehouse, a monthly batch of 1 %, a daily batch of
0.1 % and a change of the as-of date alone, each run incrementally, timed, and its warehouse compared
table by table with a full rebuild of the same files. Writes bench/RESULTS.md (--out to write
elsewhere); exits 1 if a run failed, a scorecard disagreed or a warehouse differed.

    .venv/bin/python bench/run_bench.py --records 100000 --pandas-max 100000

measures the same in a few minutes. Linux only: memory is read from /proc.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
AS_OF = date(2026, 3, 31)  # the generator's extracts run 2025-07 .. 2026-03
QUARTERLY_COLUMNS = ["period_quarter", "source_dept_code", "records", "on_time_records", "timeliness_rate",
                     "compliance_rate", "completeness_rate", "score", "rank", "grade", "needs_rectification"]


@dataclass
class Measured:
    name: str
    seconds: float
    peak_rss_mb: float
    ok: bool
    detail: str = ""


def _tree_rss_kb(root: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as fh:
                    fields = fh.read().rsplit(b")", 1)[1].split()
                children.setdefault(int(fields[1]), []).append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, []))
        try:
            with open(f"/proc/{pid}/status", "rb") as fh:
                for line in fh:
                    if line.startswith(b"VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            continue
    return total


def measure(name: str, command: list[str], env: dict[str, str], log: Path) -> Measured:
    """Run `command`, sampling its process tree's RSS every 0.2 s; the peak is the largest sum."""
    started = time.monotonic()
    with log.open("w", encoding="utf-8") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=REPO_ROOT)
        peak = 0
        stop = threading.Event()

        def sample():
            nonlocal peak
            while not stop.is_set():
                peak = max(peak, _tree_rss_kb(process.pid))
                stop.wait(0.2)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        code = process.wait()
        stop.set()
        sampler.join()
    seconds = time.monotonic() - started
    return Measured(name, seconds, peak / 1024, code == 0, "" if code == 0 else f"exit {code}, see {log}")


def _python_env(extra: dict[str, str]) -> dict[str, str]:
    path = os.pathsep.join([str(REPO_ROOT / "orchestration"), str(REPO_ROOT / "tools"), str(BENCH_DIR)])
    return {**os.environ, "PYTHONPATH": path, **extra}


def generate(records: int, raw_dir: Path) -> None:
    # beside the raw folder, not in it: the pipeline lands (and rejects) every file a raw folder holds
    marker = raw_dir.with_name(raw_dir.name + ".generated")
    if (in_folder := raw_dir / ".generated").exists():  # where earlier versions of this script kept it
        marker.write_text(in_folder.read_text())
        in_folder.unlink()
    if marker.exists() and marker.read_text() == str(records):
        return
    subprocess.run([sys.executable, "-m", "creditgen.cli", "--records", str(records),
                    "--out", str(raw_dir), "--clean"], check=True, env=_python_env({}), stdout=subprocess.DEVNULL)
    marker.write_text(str(records))


def run_size(records: int, work: Path, run_pandas: bool, with_batches: bool) -> dict:
    size_dir = work / f"{records}"
    raw_dir = size_dir / "raw"
    size_dir.mkdir(parents=True, exist_ok=True)
    generate(records, raw_dir)
    from floor import write_calendar

    calendar = write_calendar(size_dir / "calendar.csv")
    results: dict[str, dict] = {}
    env = _python_env({"CREDIT_RAW_DIR": str(raw_dir), "CREDIT_AS_OF": AS_OF.isoformat(),
                       "CREDIT_WAREHOUSE": str(size_dir / "pipeline" / "credit.duckdb"),
                       "CREDIT_PII_KEY": "benchmark-key"})
    quarter = _last_quarter()
    shutil.rmtree(size_dir / "pipeline", ignore_errors=True)  # a full run: no warehouse to build on
    pipeline_script = (
        "import sys, subprocess\n"
        f"run = subprocess.run([sys.executable, '-m', 'creditwh.cli', 'run', '--log-level', 'WARNING', "
        f"'--report-json', {str(size_dir / 'pipeline_report.json')!r}])\n"
        "sys.exit(run.returncode or subprocess.run([sys.executable, '-m', 'creditwh.cli', 'scorecard', '--quarter', "
        f"{quarter!r}, '--out', {str(size_dir / f'scorecard_{quarter}.xlsx')!r}]).returncode)\n"
    )
    pipeline = measure("pipeline", [sys.executable, "-c", pipeline_script], env, size_dir / "pipeline.log")
    results["pipeline"] = {"measured": pipeline, "rows": _pipeline_rows(size_dir) if pipeline.ok else None}

    floor_rows = (
        "from floor import run_floor\n"
        f"rows = run_floor(Path({str(raw_dir)!r}), Path({str(calendar)!r}), as_of)\n"
    )
    results["floor"] = _measure_rows("floor", floor_rows, env, size_dir)
    if run_pandas:
        pandas_rows = (
            "from pandas_baseline import quarterly_scorecard\n"
            f"rows = [list(r) for r in quarterly_scorecard(Path({str(raw_dir)!r}), as_of).itertuples(index=False)]\n"
        )
        results["pandas"] = _measure_rows("pandas", pandas_rows, env, size_dir)

    if pipeline.ok:  # the publication floor copies the full run's marts, before the batches change them
        results["floor by step"] = _measure_step_floors(raw_dir, calendar, env, size_dir)
    report_path = size_dir / "pipeline_report.json"
    step_seconds = json.loads(report_path.read_text())["step_seconds"] if report_path.exists() else {}
    batches = run_batches(records, size_dir, raw_dir, env) if with_batches and pipeline.ok else []
    return {"records": records, "results": results, "step_seconds": step_seconds, "batches": batches}


def _measure_step_floors(raw_dir: Path, calendar: Path, env: dict[str, str], size_dir: Path) -> dict:
    """bench/floor.py's per-step floors in their own process; their step seconds and scorecard."""
    out = size_dir / "floor_steps.json"
    script = (
        "import json; from datetime import date; from pathlib import Path; from floor import run_step_floors\n"
        f"result = run_step_floors(Path({str(raw_dir)!r}), Path({str(calendar)!r}), "
        f"date.fromisoformat({AS_OF.isoformat()!r}), Path({str(size_dir / 'floor_steps')!r}), "
        f"Path({str(size_dir / 'pipeline' / 'credit.duckdb')!r}))\n"
        f"Path({str(out)!r}).write_text(json.dumps(result))\n"
    )
    measured = measure("floor by step", [sys.executable, "-c", script], env, size_dir / "floor_steps.log")
    result = json.loads(out.read_text()) if measured.ok else {"step_seconds": {}, "rows": None}
    shutil.rmtree(size_dir / "floor_steps", ignore_errors=True)
    return {"measured": measured, **result}


@dataclass(frozen=True)
class Batch:
    """New extract files that arrive after the full run: `share` of its records, decisions in [start, end]."""
    name: str
    title: str
    share: float
    minimum: int
    seed: int
    start: date
    end: date


def _last_working_day(month_end: date) -> date:
    import chinese_calendar

    day = month_end
    while not chinese_calendar.is_workday(day):
        day -= timedelta(days=1)
    return day


def _working_days_later(day: date, count: int) -> date:
    import chinese_calendar

    while count:
        day += timedelta(days=1)
        count -= chinese_calendar.is_workday(day)
    return day


MONTHLY = Batch("monthly", "a monthly batch of 1 %", 0.01, 100, 20260301, AS_OF.replace(day=1), AS_OF)
DAILY = Batch("daily", "a daily batch of 0.1 %", 0.001, 10, 20260331, _last_working_day(AS_OF), _last_working_day(AS_OF))


def new_as_of() -> date:
    """The as-of moved forward just past the disclosure deadline of the as-of day's decisions."""
    from creditwh.rules import dbt_vars

    return _working_days_later(AS_OF, dbt_vars()["disclosure_deadline_working_days"] + 1)


def run_batches(records: int, size_dir: Path, raw_dir: Path, env: dict[str, str]) -> list[dict]:
    """On the full run's warehouse, one after the other: the monthly batch, the daily batch (on
    the warehouse the monthly batch left, as a province's days follow its month) and a change of
    the as-of date alone; after each, the warehouse is compared with a full rebuild of the same
    files at the same as-of."""
    monthly_dir = grow(raw_dir, size_dir, MONTHLY, records, env)
    daily_dir = grow(monthly_dir, size_dir, DAILY, records, env)
    later = new_as_of()
    return [
        {"batch": MONTHLY.title, "records": batch_records(size_dir / f"batch_{MONTHLY.name}"),
         **incremental_against_rebuild(MONTHLY.name, size_dir, {**env, "CREDIT_RAW_DIR": str(monthly_dir)})},
        {"batch": DAILY.title, "records": batch_records(size_dir / f"batch_{DAILY.name}"),
         **incremental_against_rebuild(DAILY.name, size_dir, {**env, "CREDIT_RAW_DIR": str(daily_dir)})},
        {"batch": f"the as-of date alone, {AS_OF.isoformat()} → {later.isoformat()}", "records": 0,
         **incremental_against_rebuild("as_of", size_dir, {**env, "CREDIT_RAW_DIR": str(daily_dir),
                                                           "CREDIT_AS_OF": later.isoformat()})},
    ]


def grow(previous_dir: Path, size_dir: Path, batch: Batch, records: int, env: dict[str, str]) -> Path:
    """A raw directory of the files of `previous_dir` plus the batch's own files.

    The previous files are symlinks (no copy of the extracts), so they keep their relative paths,
    sizes and mtimes; the batch's files are named batch-<name>_<file> beside them."""
    batch_dir, grown_dir = size_dir / f"batch_{batch.name}", size_dir / f"raw_{batch.name}"
    shutil.rmtree(batch_dir, ignore_errors=True)
    shutil.rmtree(grown_dir, ignore_errors=True)
    subprocess.run([sys.executable, "-c", (
        "from datetime import date; from pathlib import Path; from creditgen import generate_extracts\n"
        f"generate_extracts(Path({str(batch_dir)!r}), {max(round(records * batch.share), batch.minimum)}, seed={batch.seed}, messy=False, "
        f"start=date.fromisoformat({batch.start.isoformat()!r}), end=date.fromisoformat({batch.end.isoformat()!r}))"
    )], check=True, env=env, stdout=subprocess.DEVNULL)
    for source in sorted(p for p in previous_dir.rglob("*") if p.is_file() and not p.name.startswith(".")):
        target = grown_dir / source.relative_to(previous_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.symlink_to(source.resolve())
    for source in sorted(p for p in batch_dir.rglob("*") if p.is_file()):
        relative = source.relative_to(batch_dir)
        target = grown_dir / relative.parent / f"batch-{batch.name}_{relative.name}"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return grown_dir


def batch_records(batch_dir: Path) -> int:
    """双公示 records delivered: licence and penalty rows."""
    return sum(sum(1 for _ in source.open("rb")) - 1 for kind in ("license", "penalty")
               for source in sorted((batch_dir / kind).glob("*.csv")))


def incremental_against_rebuild(name: str, size_dir: Path, env: dict[str, str]) -> dict:
    """`creditwh run` on the pipeline's warehouse with `env`'s files and as-of, timed; then
    `creditwh run --full-refresh` into a fresh warehouse from the same, timed; the two compared."""
    command = [sys.executable, "-m", "creditwh.cli", "run", "--log-level", "WARNING"]
    report = size_dir / f"incremental_{name}_report.json"
    incremental = measure(f"incremental {name}", command + ["--report-json", str(report)], env,
                          size_dir / f"incremental_{name}.log")
    rebuild_path = size_dir / f"rebuild_{name}" / "credit.duckdb"
    shutil.rmtree(rebuild_path.parent, ignore_errors=True)
    rebuild = measure(f"rebuild {name}", command + ["--full-refresh"], {**env, "CREDIT_WAREHOUSE": str(rebuild_path)},
                      size_dir / f"rebuild_{name}.log")
    differences = compare_warehouses(Path(env["CREDIT_WAREHOUSE"]), rebuild_path) \
        if incremental.ok and rebuild.ok else ["a run failed"]
    shutil.rmtree(rebuild_path.parent, ignore_errors=True)  # compared; a 10 M warehouse is large
    return {"incremental": incremental, "rebuild": rebuild, "differences": differences,
            "step_seconds": json.loads(report.read_text())["step_seconds"] if report.exists() else {}}


NOT_COMPARED = {"audit.query_log"}  # who looked whom up: not built, and not rebuilt


def compare_warehouses(left: Path, right: Path) -> list[str]:
    """Every table a run builds, by its rows and their hash: what differs (empty when equal)."""
    from creditwh.warehouse.table_fingerprints import table_fingerprints

    incremental, rebuilt = (table_fingerprints(path, views=False) | published_fingerprints(path)
                            for path in (left, right))
    return [f"{name}: (rows, hash) {incremental.get(name, 'absent')} incrementally, {rebuilt.get(name, 'absent')} "
            "rebuilt" for name in sorted((set(incremental) | set(rebuilt)) - NOT_COMPARED)
            if incremental.get(name) != rebuilt.get(name)]


def published_fingerprints(warehouse: Path) -> dict[str, tuple[int, str]]:
    """The warehouse's publication, table by table: its DuckDB file's tables ("published <table>") and
    its Parquet files ("parquet <table>"); an incremental run patches the first and links or
    rewrites the second, a rebuild writes both whole."""
    import duckdb

    from creditwh.warehouse.publishing import PUBLISHED_SCHEMAS
    from creditwh.warehouse.table_fingerprints import table_fingerprints

    published = warehouse.parent / "published"
    if not (published / "credit_marts.duckdb").exists():
        return {}
    out = {f"published {name}": value for name, value in
           table_fingerprints(published / "credit_marts.duckdb", PUBLISHED_SCHEMAS, views=False).items()}
    con = duckdb.connect()
    for folder in sorted((published / "current").iterdir()):
        if folder.name.split(".")[0] in PUBLISHED_SCHEMAS:
            out[f"parquet {folder.name}"] = tuple(con.execute(
                "select count(*), coalesce(sum(hash(t::varchar)), 0)::varchar from read_parquet(?) t",
                [str(folder / "data.parquet")]).fetchall()[0])
    con.close()
    return out


def _measure_rows(name: str, computes_rows: str, env: dict[str, str], size_dir: Path) -> dict:
    """Time a Python snippet that sets `rows` (the scorecard) in its own process; keep its rows."""
    out = size_dir / f"{name}.json"
    script = (
        "import json; from datetime import date; from pathlib import Path\n"
        f"as_of = date.fromisoformat({AS_OF.isoformat()!r})\n"
        + computes_rows
        + f"Path({str(out)!r}).write_text(json.dumps(rows, default=str))\n"
    )
    measured = measure(name, [sys.executable, "-c", script], env, size_dir / f"{name}.log")
    return {"measured": measured, "rows": _json_rows(out) if measured.ok else None}


def _last_quarter() -> str:
    return f"{AS_OF.year}Q{(AS_OF.month - 1) // 3 + 1}"


def _pipeline_rows(size_dir: Path) -> list[list]:
    import duckdb

    con = duckdb.connect(str(size_dir / "pipeline" / "credit.duckdb"), read_only=True)
    try:
        rows = con.execute(f"SELECT {', '.join(QUARTERLY_COLUMNS)} FROM marts.rpt_timeliness_quarterly "
                           "ORDER BY period_quarter, source_dept_code").fetchall()
    finally:
        con.close()
    return json.loads(json.dumps([list(r) for r in rows], default=str))


def _json_rows(path: Path) -> list[list]:
    return json.loads(path.read_text())


def same_rows(a: list[list] | None, b: list[list] | None) -> bool:
    """Equal row for row; rates and scores to 1e-9 (they are computed by different engines)."""
    if a is None or b is None or len(a) != len(b):
        return False
    for left, right in zip(a, b):
        for x, y in zip(left, right):
            if isinstance(x, float) or isinstance(y, float):
                if not math.isclose(float(x), float(y), rel_tol=0, abs_tol=1e-9):
                    return False
            elif x != y:
                return False
    return True


def definitions_load_seconds(runs: int = 3) -> float:
    """The median wall time of loading the Dagster definitions in a fresh process (what the UI,
    a sensor tick and `creditwh run` each pay), imports included."""
    script = ("import time; started = time.perf_counter(); from creditwh.definitions import defs; "
              "defs.get_repository_def(); print(time.perf_counter() - started)")
    times = sorted(float(subprocess.run([sys.executable, "-c", script], env=_python_env({}), check=True,
                                        capture_output=True, text=True).stdout.split()[-1]) for _ in range(runs))
    return times[len(times) // 2]


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                     if line.startswith("MemTotal"))
    return (f"{cpu}, {os.cpu_count()} cores, {memory_kb / 1024 / 1024:.1f} GB RAM; "
            f"{platform.system()} {platform.release()}; Python {platform.python_version()}")


def render(sizes: list[dict], command: str, load_seconds: float) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Produced by `{command}` on {date.today().isoformat()}: that one command measures every row below "
        f"(`{TRY_COMMAND}` tries the same in a few minutes).",
        "",
        f"Machine: {machine()}.",
        "",
        f"Dagster definitions load in {load_seconds:.1f} s (median of three fresh processes, imports included).",
        "",
        f"The pipeline's DuckDB memory bound: {_memory_limit()} (`CREDIT_DUCKDB_MEMORY_LIMIT`); the floor and pandas "
        "run unbounded.",
        "",
        "Extracts: `creditgen --clean` (UTF-8, canonical headers), as of "
        f"{AS_OF.isoformat()}. `records` counts licences + penalties; the other kinds come along in proportion.",
        "",
        "## The issue's measures",
        "",
        "| measure | now | target |",
        "|---|---:|---:|",
        *issue_rows(sizes),
        "",
        "## Full build: pipeline, floor and pandas",
        "",
        "| records | what | wall s | peak RSS MB | rows/s | agrees with pipeline |",
        "|---:|---|---:|---:|---:|---|",
    ]
    for size in sizes:
        pipeline_rows = size["results"]["pipeline"]["rows"]
        for name, result in size["results"].items():
            m: Measured = result["measured"]
            agrees = "—" if name == "pipeline" else ("yes" if same_rows(result["rows"], pipeline_rows) else "NO")
            rate = f"{size['records'] / m.seconds:,.0f}" if m.ok else m.detail
            lines.append(f"| {size['records']:,} | {name} | {m.seconds:.1f} | {m.peak_rss_mb:,.0f} | {rate} | {agrees} |")
    lines += ["", "`floor` is bench/floor.sql in one pass over the files; `floor by step` is the same script a "
              "step at a time on the tables the landing floor scanned, plus the publication floor (below).", "",
              "## Ratios", "", "| records | pipeline / floor | pandas / pipeline |", "|---:|---:|---:|"]
    for size in sizes:
        r = size["results"]
        pipeline, floor = r["pipeline"]["measured"], r["floor"]["measured"]
        pandas = r.get("pandas", {}).get("measured")
        pandas_ratio = f"{pandas.seconds / pipeline.seconds:.1f}" if pandas and pandas.ok else "not run"
        lines.append(f"| {size['records']:,} | {pipeline.seconds / floor.seconds:.2f} | {pandas_ratio} |")
    lines += ["", "## Each step against its floor", "", STEP_FLOORS_NOTE, ""]
    for size in sizes:
        lines += _step_table(f"{size['records']:,} records, full run", size["step_seconds"],
                             size["results"].get("floor by step", {}).get("step_seconds", {}))
    batched = [size for size in sizes if size["batches"]]
    if batched:
        lines += ["## Batches, incrementally, against a full rebuild", "", BATCHES_NOTE, "",
                  "| records | what arrived | batch records | incremental run s | full rebuild s | incremental / full "
                  "| peak RSS MB | warehouses equal |", "|---:|---|---:|---:|---:|---:|---:|---|"]
        for size in batched:
            for batch in size["batches"]:
                run, rebuild = batch["incremental"], batch["rebuild"]
                lines.append(f"| {size['records']:,} | {batch['batch']} | {batch['records']:,} | {run.seconds:.1f} "
                             f"| {rebuild.seconds:.1f} | {run.seconds / rebuild.seconds:.2f} | {run.peak_rss_mb:,.0f} "
                             f"| {_equal(batch)} |")
        lines.append("")
        for size in batched:
            for batch in size["batches"]:
                lines += _breakdown(f"{size['records']:,} records, incremental run: {batch['batch']}",
                                    batch["step_seconds"])
    return "\n".join(lines) + "\n"


TRY_COMMAND = "python bench/run_bench.py --records 100000 --pandas-max 100000"
STEP_FLOORS_NOTE = (
    "Each step of the full run beside the least DuckDB work it stands for (bench/floor.py, one process, a file "
    "database): landing, a bare `read_csv` of every extract file into one text table per kind; staging, floor.sql's "
    "typed and cleaned projection of licences and penalties from those tables; downstream, floor.sql's identities, "
    "working days and quarterly scorecard from that projection; gates, every expectation of expectations/*.json as "
    "one bare query counting its unexpected rows in the pipeline's warehouse (what Great Expectations computes, "
    "without it); publication, a bare copy of every marts and public "
    "table of the pipeline's warehouse into a DuckDB file and Parquet. The model floors cover the work the "
    "scorecard needs, not every model the step builds, so their ratios overstate the overhead; steps without a "
    "floor show —.")
BATCHES_NOTE = (
    f"One after the other on the full run's warehouse: {MONTHLY.title} (decisions in {MONTHLY.start:%Y-%m}), then "
    f"{DAILY.title} (decisions on {DAILY.start.isoformat()}, a working day of the as-of month; its own files) on the "
    "warehouse the monthly batch left, then the as-of date alone moved past the disclosure deadline of the as-of "
    "day's decisions, on the same files. After each, `creditwh run --full-refresh` builds a second warehouse from "
    "the same files at the same as-of, and every table of raw, reference, staging, intermediate, audit, marts and "
    "public is compared by its row count and an order-insensitive hash of its rows (audit.query_log aside). Peak "
    "RSS is the incremental run's whole process tree.")


def _equal(batch: dict) -> str:
    return "yes" if not batch["differences"] else "NO: " + "; ".join(batch["differences"][:5])


def _size_label(records: int) -> str:
    return f"{records / 1_000_000:g} M" if records >= 1_000_000 else f"{records:,}"


# The issue's targets, by measure and the size the issue sets them at.
TARGETS = {("floor", 10_000_000): "≤ 3.0", ("floor", 1_000_000): "≤ 4.0", ("pandas", 1_000_000): "≥ 10",
           ("monthly", 10_000_000): "≤ 0.15", ("daily", 10_000_000): "≤ 60 s, warehouse equal to a rebuild",
           ("rss", 10_000_000): "≤ 4 GB"}


def _target(measure_name: str, records: int) -> str:
    if measure_name == "as_of":
        return "warehouse equal to a rebuild"
    return TARGETS.get((measure_name, records), "— (set at another size)")


def issue_rows(sizes: list[dict]) -> list[str]:
    """The issue's table, a row per measure and size, filled from this run."""
    rows = []
    for size in sizes:
        n, r = size["records"], size["results"]
        label = _size_label(n)
        pipeline, floor = r["pipeline"]["measured"], r["floor"]["measured"]
        rows.append(f"| full build, {label} records: pipeline / hand-written DuckDB floor "
                    f"| {pipeline.seconds / floor.seconds:.2f} | {_target('floor', n)} |")
        if pandas := r.get("pandas", {}).get("measured"):
            rows.append(f"| pandas baseline / pipeline, {label} | {pandas.seconds / pipeline.seconds:.1f} "
                        f"| {_target('pandas', n)} |")
        batches = {batch["batch"]: batch for batch in size["batches"]}
        if monthly := batches.get(MONTHLY.title):
            rows.append(f"| {MONTHLY.title} on {label} records, incremental / full rebuild "
                        f"| {monthly['incremental'].seconds / monthly['rebuild'].seconds:.2f}, equal: {_equal(monthly)} "
                        f"| {_target('monthly', n)} |")
        if daily := batches.get(DAILY.title):
            rows.append(f"| {DAILY.title} on {label} records | {daily['incremental'].seconds:.1f} s, equal: "
                        f"{_equal(daily)} | {_target('daily', n)} |")
        if as_of := next((b for b in size["batches"] if b["batch"].startswith("the as-of")), None):
            rows.append(f"| a change of as-of date alone on {label} records, incremental / full rebuild "
                        f"| {as_of['incremental'].seconds / as_of['rebuild'].seconds:.2f}, equal: {_equal(as_of)} "
                        f"| {_target('as_of', n)} |")
        runs = [pipeline] + [m for b in size["batches"] for m in (b["incremental"], b["rebuild"])]
        rows.append(f"| peak RSS of the whole process tree, {label} "
                    f"| {max(m.peak_rss_mb for m in runs) / 1024:.2f} GB (the largest pipeline run) "
                    f"| {_target('rss', n)} |")
    return rows


def _memory_limit() -> str:
    from creditwh.warehouse.settings import Settings

    return Settings.from_env().duckdb_memory_limit


def _step_groups(steps: dict[str, float]) -> dict[str, float]:
    """Step seconds, the Great Expectations gates summed into one group (named as their floor)."""
    from floor import GATES_STEP

    groups: dict[str, float] = {}
    for step, seconds in steps.items():
        group = GATES_STEP if "_gx_" in step else step
        groups[group] = groups.get(group, 0.0) + seconds
    return groups


def _breakdown(title: str, steps: dict[str, float]) -> list[str]:
    if not steps:
        return []
    lines = [f"{title}:", "", "| step | seconds |", "|---|---:|"]
    lines += [f"| {step} | {seconds:.1f} |" for step, seconds in sorted(_step_groups(steps).items(), key=lambda kv: -kv[1])]
    return lines + [""]


def _step_table(title: str, steps: dict[str, float], floors: dict[str, float]) -> list[str]:
    """Each pipeline step's seconds beside its floor's, and the ratio."""
    if not steps:
        return []
    lines = [f"{title}:", "", "| step | pipeline s | floor s | pipeline / floor |", "|---|---:|---:|---:|"]
    for step, seconds in sorted(_step_groups(steps).items(), key=lambda kv: -kv[1]):
        floor = floors.get(step)
        ratio = f"{seconds / floor:.1f}" if floor else "—"
        lines.append(f"| {step} | {seconds:.1f} | {f'{floor:.1f}' if floor is not None else '—'} | {ratio} |")
    return lines + [""]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, action="append", required=True, help="双公示 records (repeatable)")
    parser.add_argument("--pandas-max", type=int, default=1_000_000, help="largest size the pandas baseline runs at")
    parser.add_argument("--incremental-max", type=int, default=10_000_000,
                        help="largest size at which the batches (monthly, daily, as-of change) are run "
                             "incrementally and compared with full rebuilds")
    parser.add_argument("--work", default="/tmp/creditwh-bench", help="where extracts and warehouses go")
    parser.add_argument("--out", default=str(BENCH_DIR / "RESULTS.md"))
    args = parser.parse_args(argv)
    sys.path[:0] = [str(REPO_ROOT / "orchestration"), str(BENCH_DIR)]
    sizes = [run_size(n, Path(args.work), run_pandas=n <= args.pandas_max, with_batches=n <= args.incremental_max)
             for n in args.records]
    command = "python bench/run_bench.py " + " ".join(f"--records {n}" for n in args.records) + \
        f" --pandas-max {args.pandas_max} --incremental-max {args.incremental_max}"
    Path(args.out).write_text(render(sizes, command, definitions_load_seconds()), encoding="utf-8")
    print(Path(args.out).read_text(encoding="utf-8"))
    return 1 if report_failures(sizes) else 0


def report_failures(sizes: list[dict]) -> list[str]:
    """What failed, disagreed with the pipeline or differed from a rebuild, printed to stderr."""
    failures = [f"{s['records']:,}: {name} {r['measured'].detail}" for s in sizes
                for name, r in s["results"].items() if not r["measured"].ok]
    failures += [f"{s['records']:,}: {name} disagrees with the pipeline" for s in sizes
                 for name, r in s["results"].items()
                 if name != "pipeline" and r["rows"] is not None and not same_rows(r["rows"], s["results"]["pipeline"]["rows"])]
    failures += [f"{s['records']:,}: after {b['batch']}, the warehouse differs from a full rebuild" for s in sizes
                 for b in s["batches"] if b["differences"]]
    for failure in failures:
        print(failure, file=sys.stderr)
    return failures

if __name__ == "__main__":
    sys.exit(main())
