#!/usr/bin/env bash
# `make bench`: run every bench/bench_*.py inside `odoo-bin shell` on a database with the
# addon installed (and Odoo's crm and event, to compare with) and print their figures.
# Benchmarks roll back what they create.
source "$(dirname "$0")/lib.sh"

DB="${KI_BENCH_DB:-ki_bench}"
"$REPO/scripts/setup.sh"
ensure_addon_db "$DB"
# Odoo's own apps the benchmarks compare with, in the bench database only.
COMPARED_APPS="crm,event"
if [ "$(psql -X -tA -d "$DB" -c "SELECT count(*) FROM ir_module_module
        WHERE name IN ('crm', 'event') AND state = 'installed'")" != 2 ]; then
    say "installing $COMPARED_APPS into $DB to compare with"
    odoo_bin -d "$DB" -i "$COMPARED_APPS" --stop-after-init --log-level=warn
fi
PYTHONPATH="$ODOO_PATH" "$VENV/bin/python" "$REPO/bench/run.py" "$CONF" "$DB" "$@"
