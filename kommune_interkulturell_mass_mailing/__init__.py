from ast import literal_eval

from . import models
from . import wizard
from . import controllers


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
