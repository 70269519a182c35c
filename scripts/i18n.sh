#!/usr/bin/env bash
# `make i18n`: regenerate i18n/kommune_interkulturell.pot with Odoo's own export, merge it
# into i18n/de.po and list the strings that still lack German.
source "$(dirname "$0")/lib.sh"

DB="${KI_I18N_DB:-ki_i18n}"
"$REPO/scripts/setup.sh"
# Always from a fresh install: an upgraded database keeps the old names of
# non-updatable data (stages, types), which would end up in the template.
KI_REINSTALL_ON_CHANGE=1 ensure_addon_db "$DB"
"$VENV/bin/python" "$ODOO_PATH/odoo-bin" i18n export -c "$CONF" -d "$DB" "$ADDON"
"$VENV/bin/python" "$REPO/scripts/i18n_merge.py" "$REPO/$ADDON/i18n" "$@"
