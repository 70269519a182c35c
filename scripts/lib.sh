# Shared settings and helpers of the project's scripts; sourced, not run.
# shellcheck shell=bash
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ODOO_PATH="${ODOO_PATH:-/opt/odoo}"
VENV="$REPO/.venv"
STATE="$REPO/.state"
CONF="$STATE/odoo.conf"
# The repo's addons: the app and its bridges to other Odoo apps, every directory
# kommune_interkulturell* with a manifest (the app first).
ADDON=kommune_interkulturell
ADDONS=()
for _dir in "$REPO"/kommune_interkulturell*/; do
    [ -f "$_dir/__manifest__.py" ] && ADDONS+=("$(basename "$_dir")")
done
unset _dir
# The addons as odoo-bin's -i/-u take them: a,b,c
addons_csv() { local IFS=,; echo "${ADDONS[*]}"; }
PY="${PYTHON:-python3}"
PG_CLUSTER_VERSION="${PG_CLUSTER_VERSION:-15}"
PG_CLUSTER_NAME="${PG_CLUSTER_NAME:-main}"
# Seconds pg_ctl waits for the server to accept connections (crash recovery included).
PG_START_TIMEOUT="${PG_START_TIMEOUT:-1200}"
DB_USER="${DB_USER:-$(id -un)}"
HTTP_PORT="${HTTP_PORT:-8069}"

say() { printf '==> %s\n' "$*"; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 2; }

# One clear line, not a traceback, when Odoo is not where we look for it.
require_odoo() {
    if [ ! -x "$ODOO_PATH/odoo-bin" ] || [ ! -d "$ODOO_PATH/odoo/addons/base" ] \
        || [ ! -f "$ODOO_PATH/requirements.txt" ]; then
        die "Odoo 19.0 not found at ODOO_PATH=$ODOO_PATH (need odoo-bin, odoo/ and requirements.txt): get an Odoo 19.0 source tree (git clone -b 19.0 --depth 1 https://github.com/odoo/odoo) and set ODOO_PATH to it."
    fi
    local release="$ODOO_PATH/odoo/release.py"
    if ! grep -qE "^version_info = \(19, 0," "$release" 2>/dev/null; then
        die "The Odoo tree at ODOO_PATH=$ODOO_PATH is not Odoo 19.0 (see $release): point ODOO_PATH at an Odoo 19.0 source tree."
    fi
}

odoo_bin() { "$VENV/bin/python" "$ODOO_PATH/odoo-bin" -c "${ODOO_CONF:-$CONF}" "$@"; }
# An odoo-bin subcommand (db, shell, i18n) with the project's configuration.
odoo_cmd() { local sub="$1"; shift; "$VENV/bin/python" "$ODOO_PATH/odoo-bin" "$sub" -c "${ODOO_CONF:-$CONF}" "$@"; }

psql_q() { psql -X -q -tA -d postgres -c "$1"; }

db_exists() { [ "$(psql_q "SELECT 1 FROM pg_database WHERE datname = '$1'")" = "1" ]; }

# A digest of everything that decides what a database built from the addons contains:
# the addons' files and the Odoo tree's version. Used to skip reinstalls when nothing changed.
addon_digest() {
    (
        cd "$REPO"
        find "${ADDONS[@]}" -type f ! -name '*.pyc' ! -path '*/__pycache__/*' -print0 \
            | sort -z | xargs -0 sha256sum
        sha256sum "$ODOO_PATH/odoo/release.py"
    ) | sha256sum | cut -d' ' -f1
}

# How many of the repo's addons the database has installed (not half-installed).
addons_installed_count() {
    db_exists "$1" && psql -X -tA -d "$1" -c \
        "SELECT count(*) FROM ir_module_module WHERE state = 'installed'
          AND name IN ($(printf "'%s'," "${ADDONS[@]}" | sed 's/,$//'))" 2>/dev/null || echo 0
}

# True when the database exists and has the app installed (not half-installed).
addon_installed() {
    db_exists "$1" && [ "$(psql -X -tA -d "$1" -c \
        "SELECT state FROM ir_module_module WHERE name = '$ADDON'" 2>/dev/null)" = "installed" ]
}

# Make sure database $1 has every addon of the repo installed and matching the working
# tree: install them (dropping a half-built database first), or upgrade them when their
# files changed (installing an addon the database does not have yet, e.g. a new bridge).
# Further arguments are passed to the install (e.g. --with-demo). With
# KI_REINSTALL_ON_CHANGE=1 changed addons are installed afresh instead of upgraded.
ensure_addon_db() {
    local db="$1"; shift
    local digest stamp
    digest="$(addon_digest)"
    stamp="$STATE/$db.digest"
    if [ "${KI_REINSTALL_ON_CHANGE:-0}" = 1 ] && [ "$(cat "$stamp" 2>/dev/null)" != "$digest" ]; then
        odoo_cmd db drop "$db" >/dev/null 2>&1 || true
    fi
    if ! addon_installed "$db"; then
        rm -f "$stamp"
        db_exists "$db" && odoo_cmd db drop "$db" >/dev/null
        say "installing $(addons_csv) into database $db"
        if ! odoo_bin -d "$db" -i "$(addons_csv)" "$@" --stop-after-init --log-level=warn; then
            odoo_cmd db drop "$db" >/dev/null 2>&1 || true
            die "installing $(addons_csv) into $db failed (see the log above); the database was dropped."
        fi
        KI_DB_CREATED=1
    elif [ "$(cat "$stamp" 2>/dev/null)" != "$digest" ] \
        || [ "$(addons_installed_count "$db")" != "${#ADDONS[@]}" ]; then
        say "upgrading $(addons_csv) in database $db"
        # -i installs those not installed yet, -u upgrades the others.
        odoo_bin -d "$db" -i "$(addons_csv)" -u "$(addons_csv)" --stop-after-init --log-level=warn
        KI_DB_CREATED=0
    else
        KI_DB_CREATED=0
    fi
    echo "$digest" > "$stamp"
}
