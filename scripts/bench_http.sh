#!/usr/bin/env bash
# `make bench-http`: public registration through personal links against Odoo's own
# /web/login, over HTTP with 4 workers (bench/http_registration.py). Runs on a copy of the
# bench database, which is dropped afterwards: the run commits what it seeds and raises
# the public pages' rate limit there. Serves on HTTP_PORT (and HTTP_PORT + 1 for gevent).
source "$(dirname "$0")/lib.sh"

DB="${KI_BENCH_DB:-ki_bench}"
HTTP_DB="${DB}_http"
"$REPO/scripts/setup.sh"
ensure_addon_db "$DB"
odoo_cmd db drop "$HTTP_DB" >/dev/null 2>&1 || true
trap 'odoo_cmd db drop "$HTTP_DB" >/dev/null 2>&1 || true' EXIT
odoo_cmd db duplicate "$DB" "$HTTP_DB" >/dev/null
PYTHONPATH="$ODOO_PATH" "$VENV/bin/python" "$REPO/bench/http_registration.py" \
    "$CONF" "$HTTP_DB" "$HTTP_PORT"
