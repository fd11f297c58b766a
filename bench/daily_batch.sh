#!/usr/bin/env bash
# The benchmark's daily batch alone, faster than bench/run_bench.py's every measure:
#   bench/daily_batch.sh <records> <work dir>
# generates the extracts (once, as run_bench.py does), builds the warehouse from them, adds the
# daily batch of 0.1 % (run_bench.DAILY) and runs it incrementally on that warehouse, rebuilds the
# same files with --full-refresh, and compares the two warehouses table by table. Each run's
# step times are in <work dir>/{full,daily,rebuild}.json; the last line says what differs.
set -euo pipefail
RECORDS=$1
WORK=$(realpath -m "$2")
REPO=$(cd "$(dirname "$0")/.." && pwd)
PY=${PYTHON:-$REPO/.venv/bin/python}
export PYTHONPATH=$REPO/orchestration:$REPO/bench:$REPO/tools CREDIT_AS_OF=2026-03-31 CREDIT_PII_KEY=benchmark-key
mkdir -p "$WORK"
cd "$REPO/bench"
run() {  # run <name> <raw dir> [creditwh run options]: timed, with its peak RSS (largest process)
  local name=$1 raw=$2; shift 2
  /usr/bin/time -f "$name: %e s, %M KB" env CREDIT_RAW_DIR="$raw" CREDIT_WAREHOUSE="$WORK/$name/credit.duckdb" \
    "$PY" -m creditwh.cli run --log-level WARNING --report-json "$WORK/$name.json" "$@" > "$WORK/$name.log" 2>&1
  tail -n 1 "$WORK/$name.log"
}
"$PY" -c "from pathlib import Path; from run_bench import generate; generate($RECORDS, Path('$WORK/raw'))"
rm -rf "$WORK/full" "$WORK/daily" "$WORK/rebuild"
run full "$WORK/raw"
"$PY" -c "
import os; from pathlib import Path; from run_bench import grow, DAILY, batch_records
grow(Path('$WORK/raw'), Path('$WORK'), DAILY, $RECORDS, dict(os.environ))
print('daily batch:', batch_records(Path('$WORK/batch_daily')), 'records')"
mv "$WORK/full" "$WORK/daily"  # the batch runs on the full build's warehouse
run daily "$WORK/raw_daily"
run rebuild "$WORK/raw_daily" --full-refresh
"$PY" -c "
from pathlib import Path; from run_bench import compare_warehouses
print('differences:', compare_warehouses(Path('$WORK/daily/credit.duckdb'), Path('$WORK/rebuild/credit.duckdb')))" \
  2>&1 | tr '\r' '\n' | grep -v '%'
