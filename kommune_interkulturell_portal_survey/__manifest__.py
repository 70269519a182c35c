# Copyright 2026 Kommune Interkulturell (IQ Netzwerk Berlin)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Kommune Interkulturell: Self-Checks on the Portal",
    "summary": "Organisations' contact persons read their organisation's self-check "
    "scores and development plan on its portal page",
    "version": "19.0.1.0.0",
    "category": "Services",
    "website": "https://github.com/kommune-interkulturell/kommune_interkulturell",
    "author": "Kommune Interkulturell (IQ Netzwerk Berlin)",
    "license": "AGPL-3",
    "depends": ["kommune_interkulturell_portal", "kommune_interkulturell_survey"],
    "data": [
        "security/kommune_interkulturell_portal_survey_security.xml",
        "security/ir.model.access.csv",
        "views/kommune_development_goal_views.xml",
        "views/kommune_portal_templates.xml",
    ],
    "demo": [
        "demo/kommune_development_goal_demo.xml",
        "demo/res_users_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "kommune_interkulturell_portal_survey/static/tests/tours/*.js",
        ],
    },
    "auto_install": True,
}
