# Copyright 2026 Kommune Interkulturell (IQ Netzwerk Berlin)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Kommune Interkulturell: Self-Service Portal",
    "summary": "Participants and organisations' contact persons on Odoo's portal: "
    "trainings, certificates, consents, their organisation's page",
    "version": "19.0.1.1.0",
    "category": "Services",
    "website": "https://github.com/kommune-interkulturell/kommune_interkulturell",
    "author": "Kommune Interkulturell (IQ Netzwerk Berlin)",
    "license": "AGPL-3",
    "depends": ["kommune_interkulturell", "portal"],
    "data": [
        "security/kommune_interkulturell_portal_security.xml",
        "security/ir.model.access.csv",
        "data/kommune_consent_purpose_data.xml",
        "data/kommune_catalogue_mail_template_data.xml",
        "data/kommune_profile_proposal_data.xml",
        "views/kommune_training_views.xml",
        "views/kommune_organization_proposal_views.xml",
        "views/kommune_portal_templates.xml",
        "views/kommune_catalogue_templates.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "kommune_interkulturell_portal/static/tests/tours/*.js",
        ],
    },
    "demo": [
        "demo/kommune_training_demo.xml",
        "demo/kommune_organization_proposal_demo.xml",
    ],
    "auto_install": True,
    "uninstall_hook": "_uninstall_hook",
}
