#!/usr/bin/env bash
# `make bench-http`: public registration through personal links against Odoo's own
# /web/login, over HTTP with 4 workers (bench/http_registration.py). Runs on a copy of the
# bench database, which is dropped afterwards: the run commits what it seeds and raises
# the public pages' rate limit there. Serves on HTTP_PORT (and HTTP_PORT + 1 for gevent).
# KI_BENCH_HTTP_PROFILE=1: one request at a time in process instead, with each request's
# time and queries and the costliest queries (bench/http_registration_profile.py).
source "$(dirname "$0")/lib.sh"

DB="${KI_BENCH_DB:-ki_bench}"
HTTP_DB="${DB}_http"
"$REPO/scripts/setup.sh"
ensure_addon_db "$DB"
odoo_cmd db drop "$HTTP_DB" >/dev/null 2>&1 || true
# The workers' connections may outlive the server's exit by a moment: retry the drop.
drop_copy() {
    for _ in 1 2 3 4 5; do
        odoo_cmd db drop "$HTTP_DB" >/dev/null 2>&1 || true
        db_exists "$HTTP_DB" || return 0
        sleep 2
    done
}
trap drop_copy EXIT
odoo_cmd db duplicate "$DB" "$HTTP_DB" >/dev/null
if [ "${KI_BENCH_HTTP_PROFILE:-0}" = 1 ]; then
    PYTHONPATH="$ODOO_PATH" "$VENV/bin/python" "$REPO/bench/http_registration_profile.py" \
        "$CONF" "$HTTP_DB"
else
    PYTHONPATH="$ODOO_PATH" "$VENV/bin/python" "$REPO/bench/http_registration.py" \
        "$CONF" "$HTTP_DB" "$HTTP_PORT"
fi
