#!/usr/bin/env bash
# `make lint`: ruff (lint + format check), pylint-odoo on every addon, each README.rst
# compared with its readme/ fragments, and every XML file of the repo parsed for
# well-formedness.
source "$(dirname "$0")/lib.sh"

require_odoo
"$REPO/scripts/setup.sh" >/dev/null
cd "$REPO"
status=0
say "ruff"
"$VENV/bin/ruff" check . || status=1
"$VENV/bin/ruff" format --check . || status=1
say "pylint-odoo"
"$VENV/bin/pylint" --rcfile=.pylintrc "${ADDONS[@]}" || status=1
say "README.rst of each addon up to date with its readme/ fragments"
"$VENV/bin/python" scripts/readme.py --check || status=1
say "XML well-formedness"
"$VENV/bin/python" - <<'PY' || status=1
import subprocess, sys
from lxml import etree
files = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.xml"],
                       capture_output=True, text=True, check=True).stdout.split()
bad = 0
for path in files:
    try:
        etree.parse(path)
    except etree.XMLSyntaxError as exc:
        print(f"{path}: {exc}")
        bad += 1
print(f"{len(files)} XML files, {bad} malformed")
sys.exit(1 if bad else 0)
PY
exit $status
