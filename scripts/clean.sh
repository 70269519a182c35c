#!/usr/bin/env bash
# `make clean`: drop the project's databases and local state (keeps .venv).
# Only the databases these settings name (and the suite's and benchmarks' databases
# derived from them): the cluster may hold other projects' or colleagues' databases.
source "$(dirname "$0")/lib.sh"

require_odoo
TEST_DB="${KI_TEST_DB:-ki_test}"
BENCH_DB="${KI_BENCH_DB:-ki_bench}"
ours=("${KI_DB:-kommune}" "${KI_I18N_DB:-ki_i18n}" "$BENCH_DB" "${BENCH_DB}_http" "$TEST_DB")
for suffix in template live scratch apps runner wheel upgrade; do
    ours+=("${TEST_DB}_${suffix}")
done
for db in "${ours[@]}"; do
    if db_exists "$db"; then
        say "dropping $db"
        odoo_cmd db drop "$db" >/dev/null 2>&1 || dropdb --if-exists "$db"
    fi
done
rm -rf "$STATE"
