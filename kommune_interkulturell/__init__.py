from ast import literal_eval

from . import models
from . import wizard
from . import report
from . import controllers


def _post_init_hook(env):
    """With demo data: a draft invitation campaign for the demo volunteer training, to
    the saved demo audience. Created here rather than in demo/: its mailings' texts are
    rendered in each language, and Odoo loads the translations after the demo data."""
    training = env.ref("kommune_interkulturell.training_volunteers_demo", raise_if_not_found=False)
    audience = env.ref(
        "kommune_interkulturell.mailing_filter_mo_volunteers_demo", raise_if_not_found=False
    )
    if training and audience:
        # As the training's responsible, who would send it.
        training.with_user(training.user_id)._create_invitation_campaign(
            literal_eval(audience.mailing_domain),
            title="Einladung: Ehrenamt stärken (Ehrenamtliche in MO)",
        )


# Models whose records calendar events point to (sessions, cooperation meetings).
EVENT_DOCUMENT_MODELS = ("kommune.training", "kommune.cooperation")


def uninstall_hook(env):
    """Keep the calendar whole when the addon goes.

    Training sessions and cooperation meetings are calendar events linked to their
    training or cooperation through calendar's document link (res_model_id), which
    cascades on delete: removing the addon's models would delete every such event with
    its attendees. Unlinking them first keeps the events as ordinary meetings. The
    addon's settings go with it. Odoo runs the hook as the superuser."""
    env["calendar.event"].with_context(active_test=False).search(
        [("res_model", "in", EVENT_DOCUMENT_MODELS)]
    ).write({"res_model_id": False, "res_id": False})
    env["ir.config_parameter"].search([("key", "=like", "kommune_interkulturell.%")]).unlink()
