from . import models
from . import wizard
from . import report
from . import controllers


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
