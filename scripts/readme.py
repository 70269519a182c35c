#!/usr/bin/env python3
"""Write each addon's README.rst from its readme/ fragments (OCA style).

Usage: readme.py [--check] [ADDON_DIR ...]   (default: every kommune_interkulturell* addon)
--check writes nothing and fails when a README.rst is not what its fragments give.

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
    check = "--check" in argv
    args = [arg for arg in argv[1:] if arg != "--check"]
    addons = [Path(arg).resolve() for arg in args] or sorted(
        path
        for path in REPO.glob("kommune_interkulturell*")
        if (path / "__manifest__.py").is_file()
    )
    stale = []
    for addon in addons:
        path = addon / "README.rst"
        text = readme(addon)
        if check:
            if not path.is_file() or path.read_text() != text:
                stale.append(addon.name)
            continue
        path.write_text(text)
        print(f"{addon.name}/README.rst")
    for name in stale:
        print(f"{name}/README.rst differs from its readme/ fragments: run make readme")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
