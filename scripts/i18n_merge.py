#!/usr/bin/env python3
"""Merge the exported .pot into de.po (like msgmerge, without fuzzy guesses).

Usage: i18n_merge.py I18N_DIR [--fill TRANSLATIONS.json]

I18N_DIR is an addon's i18n directory, holding <addon>.pot. --fill takes a JSON object
{msgid: German msgstr} and sets those translations, which is handy when translating many
new strings at once. Exits 1 while strings lack German.
"""

import json
import sys
from pathlib import Path

import polib


def main(argv):
    i18n = Path(argv[1]).resolve()
    module = i18n.parent.name
    fill = {}
    if "--fill" in argv:
        fill = json.loads(Path(argv[argv.index("--fill") + 1]).read_text(encoding="utf-8"))
    pot = polib.pofile(str(i18n / f"{module}.pot"))
    de_path = i18n / "de.po"
    old = {e.msgid: e for e in polib.pofile(str(de_path))} if de_path.exists() else {}

    de = polib.POFile(wrapwidth=78)
    de.metadata = dict(pot.metadata)
    de.metadata.update(
        {
            "Language": "de",
            "Language-Team": "German",
            "Plural-Forms": "nplurals=2; plural=(n != 1);",
        }
    )
    de.header = pot.header
    missing = []
    for entry in pot:
        previous = old.get(entry.msgid)
        msgstr = fill.get(entry.msgid) or (previous.msgstr if previous else "")
        de.append(
            polib.POEntry(
                msgid=entry.msgid,
                msgstr=msgstr,
                occurrences=entry.occurrences,
                comment=entry.comment,
                tcomment=entry.tcomment,
                flags=[f for f in entry.flags if f != "fuzzy"],
            )
        )
        if not msgstr:
            missing.append(entry.msgid)
    de.save(str(de_path))
    print(f"{module} de.po: {len(pot)} strings, {len(missing)} without German")
    for msgid in missing:
        print(f"  MISSING: {msgid!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
