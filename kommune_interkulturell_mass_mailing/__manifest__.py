# Copyright 2026 Kommune Interkulturell (IQ Netzwerk Berlin)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Kommune Interkulturell: Invitation Campaigns",
    "summary": "Invitation campaigns of the network with Odoo's mass mailing: personal "
    "registration links, campaign statistics, a throttle",
    "version": "19.0.1.0.0",
    "category": "Services",
    "website": "https://github.com/kommune-interkulturell/kommune_interkulturell",
    "author": "Kommune Interkulturell (IQ Netzwerk Berlin)",
    "license": "AGPL-3",
    "depends": ["kommune_interkulturell", "mass_mailing"],
    "data": [
        "security/kommune_interkulturell_mass_mailing_security.xml",
        "security/ir.model.access.csv",
        "data/kommune_campaign_mail_template_data.xml",
        "views/kommune_training_views.xml",
        "views/kommune_training_registration_views.xml",
        "views/kommune_training_invitation_templates.xml",
        "views/mailing_mailing_views.xml",
        "views/utm_campaign_views.xml",
        "views/res_config_settings_views.xml",
        "wizard/kommune_campaign_invite_views.xml",
        "views/kommune_interkulturell_mass_mailing_menus.xml",
    ],
    "demo": [
        "demo/kommune_campaign_demo.xml",
    ],
    "auto_install": True,
    "post_init_hook": "_post_init_hook",
    "uninstall_hook": "_uninstall_hook",
}
