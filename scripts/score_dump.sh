#!/usr/bin/env bash
# Build a throwaway warehouse from one dump through Dagster and score it against a gold file.
#   scripts/score_dump.sh tests/data/heldout2/heldout2_dump.txt tests/data/heldout2/heldout2_gold.json
set -euo pipefail
dump=$(realpath "$1"); gold=$(realpath "$2")
repo=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/raw" "$tmp/home"
cp "$dump" "$tmp/raw/"
cd "$repo"
WAREHOUSE_RAW_DIR="$tmp/raw" WAREHOUSE_DB_PATH="$tmp/w.duckdb" DAGSTER_HOME="$tmp/home" WAREHOUSE_GOLD_FILE= \
  .venv/bin/python -m orchestration.refresh > "$tmp/run.log" 2>&1 \
  || { tail -40 "$tmp/run.log"; exit 1; }
.venv/bin/python "${WAREHOUSE_SCORER:-$repo/../shared/tools/score_warehouse.py}" --db "$tmp/w.duckdb" --gold "$gold" --explain
