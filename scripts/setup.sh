#!/usr/bin/env bash
# Idempotent set-up shared by `make run` and `make test`:
#   system packages (wkhtmltopdf; with --browser also chromium), the .venv with Odoo's
#   and the project's requirements, the local PostgreSQL cluster and its role, and the
#   Odoo configuration file in .state/.
source "$(dirname "$0")/lib.sh"

want_browser=0
[ "${1:-}" = "--browser" ] && want_browser=1

require_odoo
mkdir -p "$STATE"

# --- Debian packages --------------------------------------------------------------
missing=()
command -v wkhtmltopdf >/dev/null || missing+=(wkhtmltopdf)
if [ $want_browser = 1 ]; then
    command -v chromium >/dev/null || command -v chromium-browser >/dev/null || missing+=(chromium)
fi
if [ ${#missing[@]} -gt 0 ]; then
    say "installing Debian packages: ${missing[*]}"
    command -v apt-get >/dev/null || die "apt-get not found: install ${missing[*]} by hand."
    sudo_cmd=()
    [ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# --- rtlcss (npm) ---------------------------------------------------------------------
# Odoo builds the right-to-left styles of Arabic and Farsi pages with the npm tool
# rtlcss, looked up on the PATH; without it those pages keep left-to-right styles.
if ! command -v rtlcss >/dev/null; then
    if command -v npm >/dev/null; then
        say "installing rtlcss (npm) for right-to-left pages"
        npm install -g --silent rtlcss >/dev/null || say "could not install rtlcss: Arabic and Farsi pages stay left to right"
    else
        say "npm not found: install nodejs and npm (Debian) and run npm install -g rtlcss for right-to-left pages"
    fi
fi

# --- Python virtualenv --------------------------------------------------------------
# python-ldap is only needed by Odoo's auth_ldap, which we never install, and it needs
# the OpenLDAP/SASL C headers to build: leave it out rather than require them.
req_odoo="$STATE/requirements-odoo.txt"
grep -viE '^python-ldap' "$ODOO_PATH/requirements.txt" > "$req_odoo"
venv_digest=$( (cat "$req_odoo" "$REPO/requirements-dev.txt"; "$PY" --version) | sha256sum | cut -d' ' -f1)
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$VENV/.ki-digest" 2>/dev/null)" != "$venv_digest" ]; then
    say "creating/updating .venv (Odoo's requirements + requirements-dev.txt)"
    [ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check -r "$req_odoo" -r "$REPO/requirements-dev.txt" \
        2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
    echo "$venv_digest" > "$VENV/.ki-digest"
fi

# --- PostgreSQL -------------------------------------------------------------------------
if ! pg_isready -q 2>/dev/null; then
    if command -v pg_ctlcluster >/dev/null; then
        say "starting PostgreSQL cluster $PG_CLUSTER_VERSION/$PG_CLUSTER_NAME"
        # After an unclean shutdown the server first syncs its whole data directory, which
        # takes minutes on a cluster holding many databases: pg_ctl's default 60 s wait
        # gives up while the server is still on its way up.
        pg_ctlcluster "$PG_CLUSTER_VERSION" "$PG_CLUSTER_NAME" start -- -t "$PG_START_TIMEOUT" \
            || die "PostgreSQL could not be started within ${PG_START_TIMEOUT}s (pg_ctlcluster $PG_CLUSTER_VERSION $PG_CLUSTER_NAME start); its log is above."
        for _ in $(seq 20); do pg_isready -q && break; sleep 0.5; done
    fi
    pg_isready -q || die "PostgreSQL is not running and could not be started (pg_ctlcluster $PG_CLUSTER_VERSION $PG_CLUSTER_NAME start)."
fi
# Odoo connects over the local socket with peer authentication as the OS user; the role
# needs CREATEDB for the demo and test databases (Odoo refuses to run as "postgres").
if ! psql -X -tA -d postgres -c 'SELECT 1' >/dev/null 2>&1; then
    say "creating PostgreSQL role $DB_USER"
    su postgres -c "psql -X -q -c \"CREATE ROLE \\\"$DB_USER\\\" LOGIN CREATEDB\"" \
        || die "could not create the PostgreSQL role $DB_USER (run as root or create it by hand)."
fi

# --- Odoo configuration -------------------------------------------------------------
cat > "$CONF" <<CONF
[options]
addons_path = $ODOO_PATH/addons,$ODOO_PATH/odoo/addons,$REPO
data_dir = $STATE/data
db_user = $DB_USER
http_interface = 127.0.0.1
http_port = $HTTP_PORT
list_db = False
CONF
