# Copyright 2026 Kommune Interkulturell (IQ Netzwerk Berlin)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Kommune Interkulturell: Development Self-Checks",
    "summary": "Self-checks of organisational development with Odoo's surveys: scores per "
    "dimension, progress, training recommendations, development plans",
    "version": "19.0.1.0.0",
    "category": "Services",
    "website": "https://github.com/kommune-interkulturell/kommune_interkulturell",
    "author": "Kommune Interkulturell (IQ Netzwerk Berlin)",
    "license": "AGPL-3",
    "depends": ["kommune_interkulturell", "survey"],
    "data": [
        "security/kommune_interkulturell_survey_security.xml",
        "security/ir.model.access.csv",
        "data/kommune_development_dimension_data.xml",
        "data/survey_survey_data.xml",
        "data/survey_training_feedback_data.xml",
        "data/mail_template_data.xml",
        "data/mail_activity_type_data.xml",
        "views/kommune_development_dimension_views.xml",
        "views/survey_survey_views.xml",
        "views/kommune_development_check_views.xml",
        "views/kommune_development_check_line_views.xml",
        "views/kommune_development_goal_views.xml",
        "views/res_partner_views.xml",
        "views/kommune_training_views.xml",
        "views/kommune_funding_period_views.xml",
        "views/res_config_settings_views.xml",
        "wizard/kommune_development_check_send_views.xml",
        "views/kommune_interkulturell_survey_menus.xml",
    ],
    "demo": [
        "demo/kommune_development_check_demo.xml",
        "demo/kommune_training_feedback_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "kommune_interkulturell_survey/static/tests/tours/*.js",
        ],
    },
    "auto_install": True,
    "uninstall_hook": "_uninstall_hook",
}
