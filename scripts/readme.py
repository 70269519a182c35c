#!/usr/bin/env python3
"""Write each addon's README.rst from its readme/ fragments (OCA style).

Usage: readme.py [ADDON_DIR ...]   (default: every kommune_interkulturell* addon)

The fragments DESCRIPTION.md, CONFIGURE.md and USAGE.md are written in the subset of
Markdown that is also reStructuredText (paragraphs, "- " lists, *emphasis*,
``literals``), as the README.rst takes them over unchanged.
"""

import ast
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BADGE = """.. |badge1| image:: https://img.shields.io/badge/licence-AGPL--3-blue.png
    :target: http://www.gnu.org/licenses/agpl-3.0-standalone.html
    :alt: License: AGPL-3

|badge1|
"""
SECTIONS = (("CONFIGURE.md", "Configuration"), ("USAGE.md", "Usage"))


def heading(title, char):
    return f"{title}\n{char * len(title)}\n"


def readme(addon):
    manifest = ast.literal_eval((addon / "__manifest__.py").read_text())
    name = manifest["name"]
    fragments = addon / "readme"
    parts = [
        f"{'=' * len(name)}\n{name}\n{'=' * len(name)}\n",
        BADGE,
        (fragments / "DESCRIPTION.md").read_text().rstrip() + "\n",
        "**Table of contents**\n\n.. contents::\n   :local:\n",
    ]
    for filename, title in SECTIONS:
        if (fragments / filename).is_file():
            parts.append(heading(title, "=") + "\n" + (fragments / filename).read_text().rstrip())
    parts.append(
        heading("Credits", "=")
        + "\n"
        + heading("Authors", "-")
        + "\n"
        + "".join(f"* {author.strip()}\n" for author in manifest["author"].split(","))
    )
    return "\n".join(part.rstrip() + "\n" for part in parts)


def main(argv):
    addons = [Path(arg).resolve() for arg in argv[1:]] or sorted(
        path
        for path in REPO.glob("kommune_interkulturell*")
        if (path / "__manifest__.py").is_file()
    )
    for addon in addons:
        (addon / "README.rst").write_text(readme(addon))
        print(f"{addon.name}/README.rst")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
