"""The benchmark: the pipeline, the hand-written DuckDB floor and the pandas baseline, side by
side on the same generated extracts, each timed with its peak memory (RSS of its whole process
tree), and their rpt_timeliness_quarterly compared row for row.

    .venv/bin/python bench/run_bench.py --records 1000000 --records 10000000 --pandas-max 1000000

writes bench/RESULTS.md (use --out to write elsewhere). Linux only: memory is read from /proc.
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
from datetime import date
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
    marker = raw_dir / ".generated"
    if marker.exists() and marker.read_text() == str(records):
        return
    subprocess.run([sys.executable, "-m", "creditgen.cli", "--records", str(records),
                    "--out", str(raw_dir), "--clean"], check=True, env=_python_env({}), stdout=subprocess.DEVNULL)
    marker.write_text(str(records))


def run_size(records: int, work: Path, run_pandas: bool, with_incremental: bool) -> dict:
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

    report_path = size_dir / "pipeline_report.json"
    step_seconds = json.loads(report_path.read_text())["step_seconds"] if report_path.exists() else {}
    incremental = run_incremental(records, size_dir, raw_dir, env) if with_incremental and pipeline.ok else None
    return {"records": records, "results": results, "step_seconds": step_seconds, "incremental": incremental}


BATCH_MONTH = (date(2026, 3, 1), date(2026, 3, 31))  # the batch's decisions: the as-of month


def run_incremental(records: int, size_dir: Path, raw_dir: Path, env: dict[str, str]) -> dict:
    """A monthly batch of 1 % of the volume arrives: time `creditwh run` on the warehouse the full
    run left, then rebuild a second warehouse from scratch on the same files and compare the two.

    The grown raw directory mirrors raw/ with symlinks (no copy of the base extracts) plus the
    batch's files, so the base files keep their relative paths, sizes and mtimes."""
    batch_dir, grown_dir = size_dir / "batch", size_dir / "raw_with_batch"
    shutil.rmtree(batch_dir, ignore_errors=True)
    shutil.rmtree(grown_dir, ignore_errors=True)
    subprocess.run([sys.executable, "-c", (
        "from datetime import date; from pathlib import Path; from creditgen import generate_extracts\n"
        f"generate_extracts(Path({str(batch_dir)!r}), {max(records // 100, 100)}, seed=20260301, messy=False, "
        f"start=date.fromisoformat({BATCH_MONTH[0].isoformat()!r}), end=date.fromisoformat({BATCH_MONTH[1].isoformat()!r}))"
    )], check=True, env=env, stdout=subprocess.DEVNULL)
    for source in sorted(p for p in raw_dir.rglob("*") if p.is_file() and not p.name.startswith(".")):
        target = grown_dir / source.relative_to(raw_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.symlink_to(source)
    batch_rows = 0
    for source in sorted(p for p in batch_dir.rglob("*") if p.is_file()):
        relative = source.relative_to(batch_dir)
        target = grown_dir / relative.parent / f"batch-2026-03_{relative.name}"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        if relative.parts[0] in ("license", "penalty"):
            batch_rows += sum(1 for _ in source.open("rb")) - 1
    grown_env = {**env, "CREDIT_RAW_DIR": str(grown_dir)}
    command = [sys.executable, "-m", "creditwh.cli", "run", "--log-level", "WARNING"]
    incremental = measure("incremental", command + ["--report-json", str(size_dir / "incremental_report.json")],
                          grown_env, size_dir / "incremental.log")
    rebuild_path = size_dir / "rebuild" / "credit.duckdb"
    shutil.rmtree(rebuild_path.parent, ignore_errors=True)
    rebuild = measure("full rebuild", command + ["--full-refresh"], {**grown_env, "CREDIT_WAREHOUSE": str(rebuild_path)},
                      size_dir / "rebuild.log")
    differences = compare_warehouses(size_dir / "pipeline" / "credit.duckdb", rebuild_path) \
        if incremental.ok and rebuild.ok else ["a run failed"]
    report = size_dir / "incremental_report.json"
    return {"batch_records": batch_rows, "incremental": incremental, "rebuild": rebuild, "differences": differences,
            "step_seconds": json.loads(report.read_text())["step_seconds"] if report.exists() else {}}


NOT_COMPARED = {"audit.query_log"}  # who looked whom up: not built, and not rebuilt


def compare_warehouses(left: Path, right: Path) -> list[str]:
    """Every table a run builds, by its rows and their hash: what differs (empty when equal)."""
    from creditwh.warehouse.table_fingerprints import table_fingerprints

    incremental, rebuilt = (table_fingerprints(path, views=False) for path in (left, right))
    return [f"{name}: (rows, hash) {incremental.get(name, 'absent')} incrementally, {rebuilt.get(name, 'absent')} "
            "rebuilt" for name in sorted((set(incremental) | set(rebuilt)) - NOT_COMPARED)
            if incremental.get(name) != rebuilt.get(name)]


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
        f"Produced by `{command}` on {date.today().isoformat()}.",
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
    lines += ["", "## Ratios", "", "| records | pipeline / floor | pandas / pipeline |", "|---:|---:|---:|"]
    for size in sizes:
        r = size["results"]
        pipeline, floor = r["pipeline"]["measured"], r["floor"]["measured"]
        pandas = r.get("pandas", {}).get("measured")
        pandas_ratio = f"{pandas.seconds / pipeline.seconds:.1f}" if pandas and pandas.ok else "not run"
        lines.append(f"| {size['records']:,} | {pipeline.seconds / floor.seconds:.2f} | {pandas_ratio} |")
    lines += ["", "## Where the pipeline's time goes", ""]
    for size in sizes:
        lines += _breakdown(f"{size['records']:,} records, full run", size["step_seconds"])
    incremental = [size for size in sizes if size.get("incremental")]
    if incremental:
        lines += ["## A monthly batch of 1 %, incrementally", "",
                  "The full run's warehouse, then a batch of new files (decisions in "
                  f"{BATCH_MONTH[0]:%Y-%m}) and `creditwh run` again; then `creditwh run --full-refresh` builds a "
                  "second warehouse from all the files, and every table of raw, reference, staging, intermediate, "
                  "audit, marts and public is compared by its row count and an order-insensitive hash of its rows.", "",
                  "| records | batch records | incremental run s | full rebuild s | incremental / full | "
                  "warehouses equal |", "|---:|---:|---:|---:|---:|---|"]
        for size in incremental:
            inc = size["incremental"]
            run, rebuild = inc["incremental"], inc["rebuild"]
            equal = "yes" if not inc["differences"] else "NO: " + "; ".join(inc["differences"][:5])
            lines.append(f"| {size['records']:,} | {inc['batch_records']:,} | {run.seconds:.1f} | {rebuild.seconds:.1f} "
                         f"| {run.seconds / rebuild.seconds:.2f} | {equal} |")
        lines.append("")
        for size in incremental:
            lines += _breakdown(f"{size['records']:,} records, incremental run", size["incremental"]["step_seconds"])
    return "\n".join(lines) + "\n"


def _memory_limit() -> str:
    from creditwh.warehouse.settings import Settings

    return Settings.from_env().duckdb_memory_limit


def _breakdown(title: str, steps: dict[str, float]) -> list[str]:
    """Step seconds, the Great Expectations gates summed into one line."""
    if not steps:
        return []
    groups: dict[str, float] = {}
    for step, seconds in steps.items():
        group = "gates (Great Expectations)" if "_gx_" in step else step
        groups[group] = groups.get(group, 0.0) + seconds
    lines = [f"{title}:", "", "| step | seconds |", "|---|---:|"]
    lines += [f"| {step} | {seconds:.1f} |" for step, seconds in sorted(groups.items(), key=lambda kv: -kv[1])]
    return lines + [""]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, action="append", required=True, help="双公示 records (repeatable)")
    parser.add_argument("--pandas-max", type=int, default=1_000_000, help="largest size the pandas baseline runs at")
    parser.add_argument("--incremental-max", type=int, default=10_000_000,
                        help="largest size at which a 1 %% monthly batch is run incrementally and checked")
    parser.add_argument("--work", default="/tmp/creditwh-bench", help="where extracts and warehouses go")
    parser.add_argument("--out", default=str(BENCH_DIR / "RESULTS.md"))
    args = parser.parse_args(argv)
    sys.path[:0] = [str(REPO_ROOT / "orchestration"), str(BENCH_DIR)]
    sizes = [run_size(n, Path(args.work), run_pandas=n <= args.pandas_max, with_incremental=n <= args.incremental_max)
             for n in args.records]
    command = "python bench/run_bench.py " + " ".join(f"--records {n}" for n in args.records) + \
        f" --pandas-max {args.pandas_max} --incremental-max {args.incremental_max}"
    Path(args.out).write_text(render(sizes, command, definitions_load_seconds()), encoding="utf-8")
    print(Path(args.out).read_text(encoding="utf-8"))
    disagreements = [
        (s["records"], name) for s in sizes for name, r in s["results"].items()
        if name != "pipeline" and r["rows"] is not None and not same_rows(r["rows"], s["results"]["pipeline"]["rows"])
    ]
    unequal = [s["records"] for s in sizes if s.get("incremental") and s["incremental"]["differences"]]
    if disagreements:
        print(f"DISAGREEMENT with the pipeline: {disagreements}", file=sys.stderr)
    if unequal:
        print(f"the incremental warehouse differs from a full rebuild at {unequal}", file=sys.stderr)
    return 1 if disagreements or unequal else 0


if __name__ == "__main__":
    sys.exit(main())
