#!/usr/bin/env bash
# `make run`: set up, create (or upgrade) the demo database and serve Odoo.
source "$(dirname "$0")/lib.sh"

DB="${KI_DB:-kommune}"
"$REPO/scripts/setup.sh"
ensure_addon_db "$DB" --with-demo --load-language=de_DE
if [ "$KI_DB_CREATED" = 1 ]; then
    # The demo administrator works in German, like the association's staff.
    echo "env.ref('base.user_admin').lang = 'de_DE'; env.cr.commit()" \
        | odoo_cmd shell -d "$DB" --no-http --log-level=error >/dev/null
fi

# WORKERS=N serves in prefork mode: N HTTP worker processes, a cron worker and the
# gevent process of the bus (websocket, live chatter) on GEVENT_PORT (HTTP_PORT + 3).
WORKERS="${WORKERS:-0}"
serve=(--workers="$WORKERS")
if [ "$WORKERS" -gt 0 ]; then
    serve+=(--gevent-port="${GEVENT_PORT:-$((HTTP_PORT + 3))}" --max-cron-threads="${CRON_WORKERS:-1}")
    say "prefork mode: $WORKERS HTTP workers, bus (websocket) on port ${GEVENT_PORT:-$((HTTP_PORT + 3))}"
fi

say "Odoo serves http://127.0.0.1:$HTTP_PORT/odoo  (demo login: admin / admin; Ctrl-C stops it)"
exec "$VENV/bin/python" "$ODOO_PATH/odoo-bin" -c "$CONF" -d "$DB" --db-filter="^$DB\$" "${serve[@]}"
