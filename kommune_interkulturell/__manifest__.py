# Copyright 2026 Kommune Interkulturell (IQ Netzwerk Berlin)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Kommune Interkulturell",
    "summary": "Network of migrant organisations, Berlin district administrations "
    "and labour-market actors: contacts, trainings, cooperations",
    "version": "19.0.1.0.0",
    "category": "Services",
    "website": "https://github.com/kommune-interkulturell/kommune_interkulturell",
    "author": "Kommune Interkulturell (IQ Netzwerk Berlin)",
    "license": "AGPL-3",
    "depends": ["contacts", "mail", "calendar"],
    "data": [
        "security/kommune_interkulturell_groups.xml",
        "security/ir.model.access.csv",
        "security/kommune_interkulturell_security.xml",
        "data/kommune_district_data.xml",
        "data/kommune_organization_type_data.xml",
        "data/kommune_community_data.xml",
        "data/kommune_language_data.xml",
        "data/kommune_activity_area_data.xml",
        "data/kommune_target_group_data.xml",
        "data/kommune_training_topic_data.xml",
        "data/kommune_training_stage_data.xml",
        "views/kommune_district_views.xml",
        "views/kommune_organization_type_views.xml",
        "views/kommune_community_views.xml",
        "views/kommune_language_views.xml",
        "views/kommune_activity_area_views.xml",
        "views/kommune_target_group_views.xml",
        "views/res_partner_views.xml",
        "views/kommune_training_topic_views.xml",
        "views/kommune_training_stage_views.xml",
        "views/kommune_training_tag_views.xml",
        "views/kommune_training_views.xml",
        "views/kommune_training_session_views.xml",
        "views/kommune_training_registration_views.xml",
        "views/kommune_interkulturell_menus.xml",
    ],
    "demo": [
        "demo/res_partner_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "kommune_interkulturell/static/tests/tours/*.js",
        ],
    },
    "application": True,
}
