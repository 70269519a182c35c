#!/usr/bin/env bash
# `make bench`: run every bench/bench_*.py inside `odoo-bin shell` on a database with the
# addon installed and print their figures. Benchmarks roll back what they create.
source "$(dirname "$0")/lib.sh"

DB="${KI_BENCH_DB:-ki_bench}"
"$REPO/scripts/setup.sh"
ensure_addon_db "$DB"
PYTHONPATH="$ODOO_PATH" "$VENV/bin/python" "$REPO/bench/run.py" "$CONF" "$DB" "$@"
