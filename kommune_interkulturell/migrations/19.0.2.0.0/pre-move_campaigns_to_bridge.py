"""19.0.2.0.0: the invitation campaigns become the bridge kommune_interkulturell_mass_mailing.

The app no longer depends on mass_mailing; what builds on it (campaigns, personal links
and their pages, the throttle, the campaign side of the privacy tooling) moved to the
bridge. A database of an earlier release has mass_mailing installed and holds campaigns,
traces and the fields, views and external ids of all that under this module. Before the
app loads:

- the bridge is marked to be upgraded, not installed (Odoo loads modules marked during
  the upgrade once the app is loaded; the module list has been updated before this
  runs), with demo data where the app has it: its records exist already, and an
  install would load its data files in init mode, which rewrites non-updatable
  records such as the campaign mail template a manager adapted;
- the external ids of what moved are handed over to the bridge (ir_model_data, and the
  module of its tables' constraints and many2many tables): nothing is deleted at the
  end of the upgrade and created again, the records keep their ids. The app's views
  skip the bridge's views while the app loads (ir.ui.view._filter_loaded_views).

The list of what moved was derived by comparing the external ids of the app of
19.0.1.2.0 with what a fresh install of the bridge owns."""

import logging

from odoo.tools.sql import table_exists

_logger = logging.getLogger(__name__)

APP = "kommune_interkulturell"
BRIDGE = "kommune_interkulturell_mass_mailing"

# (model, name) of the external ids the bridge owns now.
MOVED_XMLIDS = (
    # ir.actions.act_window
    ("ir.actions.act_window", "kommune_campaign_invite_action"),
    ("ir.actions.act_window", "kommune_training_registration_action_campaign"),
    ("ir.actions.act_window", "mailing_filter_action_audience"),
    ("ir.actions.act_window", "utm_campaign_action_training"),
    # ir.model
    ("ir.model", "model_kommune_campaign_invite"),
    ("ir.model", "model_kommune_mail_throttle"),
    ("ir.model", "model_mail_compose_message"),
    ("ir.model", "model_mail_render_mixin"),
    ("ir.model", "model_mailing_mailing"),
    ("ir.model", "model_utm_campaign"),
    # ir.model.access
    ("ir.model.access", "access_kommune_campaign_invite_manager"),
    ("ir.model.access", "access_kommune_campaign_invite_user"),
    ("ir.model.access", "access_kommune_mail_throttle_manager"),
    ("ir.model.access", "access_kommune_mail_throttle_user"),
    # ir.model.constraint
    ("ir.model.constraint", "constraint_kommune_mail_throttle_minute_unique"),
    ("ir.model.constraint", "constraint_kommune_training_cancel_deadline_days_positive"),
    # ir.model.fields
    ("ir.model.fields", "field_kommune_campaign_invite__audience_name"),
    ("ir.model.fields", "field_kommune_campaign_invite__campaign_title"),
    ("ir.model.fields", "field_kommune_campaign_invite__category_administration"),
    ("ir.model.fields", "field_kommune_campaign_invite__category_labour_market"),
    ("ir.model.fields", "field_kommune_campaign_invite__category_migrant_organization"),
    ("ir.model.fields", "field_kommune_campaign_invite__category_other"),
    ("ir.model.fields", "field_kommune_campaign_invite__community_ids"),
    ("ir.model.fields", "field_kommune_campaign_invite__create_date"),
    ("ir.model.fields", "field_kommune_campaign_invite__create_uid"),
    ("ir.model.fields", "field_kommune_campaign_invite__display_name"),
    ("ir.model.fields", "field_kommune_campaign_invite__district_ids"),
    ("ir.model.fields", "field_kommune_campaign_invite__district_scope"),
    ("ir.model.fields", "field_kommune_campaign_invite__id"),
    ("ir.model.fields", "field_kommune_campaign_invite__lang_ids"),
    ("ir.model.fields", "field_kommune_campaign_invite__lang_summary"),
    ("ir.model.fields", "field_kommune_campaign_invite__mailing_filter_id"),
    ("ir.model.fields", "field_kommune_campaign_invite__no_consent_count"),
    ("ir.model.fields", "field_kommune_campaign_invite__no_consent_partner_ids"),
    ("ir.model.fields", "field_kommune_campaign_invite__organization_ids"),
    ("ir.model.fields", "field_kommune_campaign_invite__organization_type_ids"),
    ("ir.model.fields", "field_kommune_campaign_invite__recipient_count"),
    ("ir.model.fields", "field_kommune_campaign_invite__role_administration"),
    ("ir.model.fields", "field_kommune_campaign_invite__role_fulltime"),
    ("ir.model.fields", "field_kommune_campaign_invite__role_management"),
    ("ir.model.fields", "field_kommune_campaign_invite__role_volunteer"),
    ("ir.model.fields", "field_kommune_campaign_invite__sample_partner_ids"),
    ("ir.model.fields", "field_kommune_campaign_invite__served_language_ids"),
    ("ir.model.fields", "field_kommune_campaign_invite__topic_ids"),
    ("ir.model.fields", "field_kommune_campaign_invite__training_id"),
    ("ir.model.fields", "field_kommune_campaign_invite__unreachable_count"),
    ("ir.model.fields", "field_kommune_campaign_invite__unreachable_organization_ids"),
    ("ir.model.fields", "field_kommune_campaign_invite__write_date"),
    ("ir.model.fields", "field_kommune_campaign_invite__write_uid"),
    ("ir.model.fields", "field_kommune_mail_throttle__display_name"),
    ("ir.model.fields", "field_kommune_mail_throttle__id"),
    ("ir.model.fields", "field_kommune_mail_throttle__mail_count"),
    ("ir.model.fields", "field_kommune_mail_throttle__minute"),
    ("ir.model.fields", "field_kommune_training__campaign_count"),
    ("ir.model.fields", "field_kommune_training__campaign_ids"),
    ("ir.model.fields", "field_kommune_training__campaign_registration_count"),
    ("ir.model.fields", "field_kommune_training__cancel_deadline_days"),
    ("ir.model.fields", "field_kommune_training__date_registration_close"),
    ("ir.model.fields", "field_kommune_training__registration_deadline"),
    ("ir.model.fields", "field_kommune_training_registration__campaign_id"),
    ("ir.model.fields", "field_kommune_training_registration__mailing_id"),
    ("ir.model.fields", "field_mail_compose_message__display_name"),
    ("ir.model.fields", "field_mail_compose_message__id"),
    ("ir.model.fields", "field_mail_render_mixin__display_name"),
    ("ir.model.fields", "field_mail_render_mixin__id"),
    ("ir.model.fields", "field_mailing_mailing__campaign_lang"),
    ("ir.model.fields", "field_mailing_mailing__display_name"),
    ("ir.model.fields", "field_mailing_mailing__id"),
    ("ir.model.fields", "field_mailing_mailing__training_id"),
    ("ir.model.fields", "field_res_config_settings__kommune_mail_throttle_per_minute"),
    ("ir.model.fields", "field_res_partner__training_invitation_link"),
    ("ir.model.fields", "field_res_users__training_invitation_link"),
    ("ir.model.fields", "field_utm_campaign__display_name"),
    ("ir.model.fields", "field_utm_campaign__id"),
    ("ir.model.fields", "field_utm_campaign__mailing_bounced_count"),
    ("ir.model.fields", "field_utm_campaign__mailing_clicked_count"),
    ("ir.model.fields", "field_utm_campaign__mailing_delivered_count"),
    ("ir.model.fields", "field_utm_campaign__mailing_opened_count"),
    ("ir.model.fields", "field_utm_campaign__mailing_replied_count"),
    ("ir.model.fields", "field_utm_campaign__mailing_sent_count"),
    ("ir.model.fields", "field_utm_campaign__training_conversion_rate"),
    ("ir.model.fields", "field_utm_campaign__training_id"),
    ("ir.model.fields", "field_utm_campaign__training_registration_count"),
    ("ir.model.fields", "field_utm_campaign__training_registration_ids"),
    # ir.model.fields.selection
    ("ir.model.fields.selection", "selection__kommune_campaign_invite__district_scope__active"),
    ("ir.model.fields.selection", "selection__kommune_campaign_invite__district_scope__main"),
    # ir.model.inherit
    ("ir.model.inherit", "model_inherit__calendar_popover_delete_wizard__mail_render_mixin"),
    ("ir.model.inherit", "model_inherit__mail_compose_message__mail_render_mixin"),
    ("ir.model.inherit", "model_inherit__mail_composer_mixin__mail_render_mixin"),
    ("ir.model.inherit", "model_inherit__mail_template__mail_render_mixin"),
    ("ir.model.inherit", "model_inherit__mailing_mailing__mail_render_mixin"),
    ("ir.model.inherit", "model_inherit__sms_template__mail_render_mixin"),
    # ir.ui.menu
    ("ir.ui.menu", "mailing_filter_menu_audience"),
    ("ir.ui.menu", "utm_campaign_menu_training"),
    # ir.ui.view
    ("ir.ui.view", "invitation_page"),
    ("ir.ui.view", "kommune_campaign_invite_view_form"),
    ("ir.ui.view", "kommune_training_registration_view_form_campaign"),
    ("ir.ui.view", "kommune_training_registration_view_graph_campaign"),
    ("ir.ui.view", "kommune_training_registration_view_list_campaign"),
    ("ir.ui.view", "kommune_training_registration_view_search_campaign"),
    ("ir.ui.view", "kommune_training_view_form_campaign"),
    ("ir.ui.view", "res_config_settings_view_form_campaign"),
    ("ir.ui.view", "utm_campaign_view_form_training"),
    ("ir.ui.view", "utm_campaign_view_list_training"),
    ("ir.ui.view", "view_mail_mass_mailing_form"),
    # mail.template
    ("mail.template", "mail_template_training_campaign"),
    # mailing.filter
    ("mailing.filter", "mailing_filter_mo_volunteers_demo"),
)
# Constraints (ir_model_constraint) and many2many tables (ir_model_relation) of the
# moved fields and models.
MOVED_CONSTRAINTS = (
    "kommune_campaign_invite_create_uid_fkey",
    "kommune_campaign_invite_kommu_kommune_organization_type_id_fkey",
    "kommune_campaign_invite_kommun_kommune_campaign_invite_id_fkey1",
    "kommune_campaign_invite_kommun_kommune_campaign_invite_id_fkey2",
    "kommune_campaign_invite_kommun_kommune_campaign_invite_id_fkey3",
    "kommune_campaign_invite_kommun_kommune_campaign_invite_id_fkey4",
    "kommune_campaign_invite_kommune__kommune_training_topic_id_fkey",
    "kommune_campaign_invite_kommune_commu_kommune_community_id_fkey",
    "kommune_campaign_invite_kommune_distri_kommune_district_id_fkey",
    "kommune_campaign_invite_kommune_kommune_campaign_invite_id_fkey",
    "kommune_campaign_invite_kommune_langua_kommune_language_id_fkey",
    "kommune_campaign_invite_mailing_filter_id_fkey",
    "kommune_campaign_invite_organization_rel_invite_id_fkey",
    "kommune_campaign_invite_organization_rel_organization_id_fkey",
    "kommune_campaign_invite_res_lan_kommune_campaign_invite_id_fkey",
    "kommune_campaign_invite_res_lang_rel_res_lang_id_fkey",
    "kommune_campaign_invite_training_id_fkey",
    "kommune_campaign_invite_write_uid_fkey",
    "kommune_mail_throttle_minute_unique",
    "kommune_training_cancel_deadline_days_positive",
    "kommune_training_registration_campaign_id_fkey",
    "kommune_training_registration_mailing_id_fkey",
    "mailing_mailing_training_id_fkey",
    "utm_campaign_training_id_fkey",
)
# Views of earlier releases that extended the app's own views; they are merged into
# those now. Left in place until the end of the upgrade they would apply to the new
# views while these load (their fields twice).
MERGED_VIEWS = (
    "kommune_training_registration_view_form_privacy",
    "res_config_settings_view_form_privacy",
    "res_partner_view_list_organization_dialogue",
    "view_partner_form_cooperation",
    "view_res_partner_filter_cooperation",
)
# Fields that Odoo apps the app depended on through mass_mailing add to every model with
# a chatter (mail.thread). A database of an earlier release has them under the app's
# external ids; now the app may load before those apps, so they are handed over to the
# apps that define them, as a fresh install has them (else they would be deleted at the
# end of the upgrade, while their apps still add them).
CHATTER_FIELDS_BY_APP = {
    "sms": ("message_has_sms_error",),
    "portal": ("website_message_ids",),
}
MOVED_RELATIONS = (
    "kommune_campaign_invite_kommune_community_rel",
    "kommune_campaign_invite_kommune_district_rel",
    "kommune_campaign_invite_kommune_language_rel",
    "kommune_campaign_invite_kommune_organization_type_rel",
    "kommune_campaign_invite_kommune_training_topic_rel",
    "kommune_campaign_invite_organization_rel",
    "kommune_campaign_invite_res_lang_rel",
)


def migrate(cr, version):
    if not version:
        return
    _delete_merged_views(cr)
    cr.execute("SELECT state FROM ir_module_module WHERE name = 'mass_mailing'")
    row = cr.fetchone()
    if not row or row[0] not in ("installed", "to upgrade"):
        return  # no campaigns without mass mailing: nothing to hand over
    cr.execute("SELECT id, state FROM ir_module_module WHERE name = %s", [BRIDGE])
    bridge = cr.fetchone()
    if not bridge:
        raise RuntimeError(
            f"{BRIDGE} is not on the addons path: it holds the invitation campaigns of "
            f"this database since {APP} 19.0.2.0.0; add it next to {APP} and upgrade again."
        )
    bridge_id, state = bridge
    if state in ("uninstalled", "to remove"):
        cr.execute(
            """UPDATE ir_module_module
                  SET state = 'to upgrade',
                      demo = (SELECT demo FROM ir_module_module WHERE name = %s)
                WHERE id = %s""",
            [APP, bridge_id],
        )
    cr.execute(
        """UPDATE ir_model_data SET module = %s
            WHERE module = %s AND (model, name) IN %s""",
        [BRIDGE, APP, MOVED_XMLIDS],
    )
    xmlids = cr.rowcount
    for app, fnames in CHATTER_FIELDS_BY_APP.items():
        cr.execute(
            """UPDATE ir_model_data data SET module = %s
                 FROM ir_model_fields field
                WHERE data.module = %s AND data.model = 'ir.model.fields'
                  AND data.res_id = field.id AND field.name IN %s
                  AND EXISTS (SELECT FROM ir_module_module WHERE name = %s
                                 AND state IN ('installed', 'to upgrade'))
                  AND NOT EXISTS (SELECT FROM ir_model_data other
                                   WHERE other.module = %s AND other.name = data.name)""",
            [app, APP, fnames, app, app],
        )
    cr.execute("SELECT id FROM ir_module_module WHERE name = %s", [APP])
    (app_id,) = cr.fetchone()
    constraints = relations = 0
    if table_exists(cr, "ir_model_constraint"):
        cr.execute(
            "UPDATE ir_model_constraint SET module = %s WHERE module = %s AND name IN %s",
            [bridge_id, app_id, MOVED_CONSTRAINTS],
        )
        constraints = cr.rowcount
    if table_exists(cr, "ir_model_relation"):
        cr.execute(
            "UPDATE ir_model_relation SET module = %s WHERE module = %s AND name IN %s",
            [bridge_id, app_id, MOVED_RELATIONS],
        )
        relations = cr.rowcount
    _logger.info(
        "Invitation campaigns handed over to %s: %s external ids, %s constraints, "
        "%s many2many tables; %s marked to be upgraded",
        BRIDGE,
        xmlids,
        constraints,
        relations,
        BRIDGE,
    )


def _delete_merged_views(cr):
    cr.execute(
        """DELETE FROM ir_ui_view WHERE id IN (
               SELECT res_id FROM ir_model_data
                WHERE module = %s AND model = 'ir.ui.view' AND name IN %s)""",
        [APP, MERGED_VIEWS],
    )
    cr.execute(
        "DELETE FROM ir_model_data WHERE module = %s AND model = 'ir.ui.view' AND name IN %s",
        [APP, MERGED_VIEWS],
    )
