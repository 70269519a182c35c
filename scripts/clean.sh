#!/usr/bin/env bash
# `make clean`: drop the project's databases and local state (keeps .venv).
source "$(dirname "$0")/lib.sh"

require_odoo
for db in $(psql -X -tA -d postgres -c "SELECT datname FROM pg_database WHERE datname ~ '^(kommune|ki_)'" 2>/dev/null); do
    say "dropping $db"
    odoo_cmd db drop "$db" >/dev/null 2>&1 || dropdb --if-exists "$db"
done
rm -rf "$STATE"
