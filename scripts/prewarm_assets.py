"""Compile the asset bundles of a database once and keep them (run in `odoo-bin shell`).

A browser test compiles the bundles of its first page inside its test transaction, which
is rolled back at its end: every tour paid for them again (20-40 s on these machines), and
on a loaded machine the web client's other requests gave up waiting for the test cursor.
Compiled once in the template database, they are copied with it into each test database.
"""

BUNDLES = (
    "web.assets_web",  # the backend
    "web.assets_frontend",  # portal and public pages
    "web.assets_tests",  # the tours
    "web.report_assets_common",  # PDF reports
)

QWeb = env["ir.qweb"]  # noqa: F821 - given by odoo-bin shell
for name in BUNDLES:
    for rtl in (False, True):  # the public pages also speak Arabic and Farsi
        bundle = QWeb._get_asset_bundle(name, rtl=rtl)
        if not rtl:
            bundle.js()
        bundle.css()
env.cr.commit()  # noqa: F821
