from ast import literal_eval

from odoo.fields import Command

from . import models
from . import wizard
from . import controllers
from .models.kommune_mail_throttle import MAIL_THROTTLE_PARAM


def _post_init_hook(env):
    """With demo data: a draft invitation campaign for the demo volunteer training, to
    the saved demo audience. Created here rather than in demo/: its mailings' texts are
    rendered in each language, and Odoo loads the translations after the demo data.
    Installed by the upgrade of a database that had campaigns already, it adds none."""
    training = env.ref("kommune_interkulturell.training_volunteers_demo", raise_if_not_found=False)
    audience = env.ref(
        "kommune_interkulturell_mass_mailing.mailing_filter_mo_volunteers_demo",
        raise_if_not_found=False,
    )
    if training and audience and not training.campaign_ids:
        # As the training's responsible, who would send it.
        training.with_user(training.user_id)._create_invitation_campaign(
            literal_eval(audience.mailing_domain),
            title="Einladung: Ehrenamt stärken (Ehrenamtliche in MO)",
        )


def _uninstall_hook(env):
    """What the bridge added outside its own records goes with it: the Email Marketing
    rights it gave the project's users (their groups would keep implying them) and its
    settings (the app's settings stay)."""
    user_group = env.ref("kommune_interkulturell.group_kommune_user", raise_if_not_found=False)
    mailing_group = env.ref("mass_mailing.group_mass_mailing_user", raise_if_not_found=False)
    if user_group and mailing_group:
        user_group.implied_ids = [Command.unlink(mailing_group.id)]
    env["ir.config_parameter"].search([("key", "=", MAIL_THROTTLE_PARAM)]).unlink()
