#!/usr/bin/env bash
# `make i18n`: regenerate each addon's i18n/<addon>.pot with Odoo's own export, merge it
# into its i18n/de.po and list the strings that still lack German. Extra arguments go to
# the merge (--fill FILE.json).
source "$(dirname "$0")/lib.sh"

DB="${KI_I18N_DB:-ki_i18n}"
"$REPO/scripts/setup.sh"
# Always from a fresh install: an upgraded database keeps the old names of
# non-updatable data (stages, types), which would end up in the template.
KI_REINSTALL_ON_CHANGE=1 ensure_addon_db "$DB"
status=0
for addon in "${ADDONS[@]}"; do
    mkdir -p "$REPO/$addon/i18n"
    "$VENV/bin/python" "$ODOO_PATH/odoo-bin" i18n export -c "$CONF" -d "$DB" "$addon"
    "$VENV/bin/python" "$REPO/scripts/i18n_merge.py" "$REPO/$addon/i18n" "$@" || status=1
done
exit $status
