#!/usr/bin/env bash
# `make test`: set up (browser included), build a fresh throw-away database with the
# addons, German and demo data installed, and run the whole suite with pytest-odoo:
# the addons' tests (kommune_interkulturell*/tests, browser tours included) and the
# live-server tests of the repo (tests/; among them the addons' tests once more under
# odoo-bin, and Odoo's own tests of the apps the addons override, each on a scratch
# database of their own). Extra pytest arguments: make test ARGS="-k x";
# test paths among them replace the default ones: make test ARGS="tests/test_install.py".
source "$(dirname "$0")/lib.sh"

TEST_DB="${KI_TEST_DB:-ki_test}"
TEMPLATE_DB="${TEST_DB}_template"
LIVE_DB="${TEST_DB}_live"

"$REPO/scripts/setup.sh" --browser

# The installed addons are kept as a template database and reused while their files
# are unchanged: re-running the suite then costs no reinstall. The test databases
# themselves are always fresh copies of it.
# Changed addons are installed afresh rather than upgraded, so that install bugs show.
KI_REINSTALL_ON_CHANGE=1 ensure_addon_db "$TEMPLATE_DB" --with-demo --load-language=de_DE
if [ "$KI_DB_CREATED" = 1 ]; then
    say "compiling the asset bundles in $TEMPLATE_DB once for every browser test"
    odoo_cmd shell -d "$TEMPLATE_DB" --no-http --log-level=warn < "$REPO/scripts/prewarm_assets.py"
fi
say "fresh test databases $TEST_DB and $LIVE_DB from $TEMPLATE_DB"
odoo_cmd db duplicate -f "$TEMPLATE_DB" "$TEST_DB" >/dev/null
odoo_cmd db duplicate -f "$TEMPLATE_DB" "$LIVE_DB" >/dev/null

# The live-server tests (tests/) start their own Odoo processes on these settings.
export KI_ODOO_PATH="$ODOO_PATH" KI_ODOO_CONF="$CONF" KI_PYTHON="$VENV/bin/python"
export KI_LIVE_DB="$LIVE_DB" KI_TEST_DB="$TEST_DB"

paths=()
for addon in "${ADDONS[@]}"; do paths+=("$addon/tests"); done
paths+=(tests)
for arg in "$@"; do
    case "$arg" in -*) ;; *) [ -e "$REPO/${arg%%::*}" ] && paths=() ;; esac
done

say "running the suite"
cd "$REPO"
PYTHONPATH="$ODOO_PATH${PYTHONPATH:+:$PYTHONPATH}" "$VENV/bin/pytest" \
    --odoo-config="$CONF" --odoo-database="$TEST_DB" --odoo-http --durations=25 \
    "${paths[@]}" "$@"
