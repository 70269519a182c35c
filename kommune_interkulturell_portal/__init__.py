from . import controllers
from . import models


def _uninstall_hook(env):
    """What the bridge left on the organisations goes or stays harmless: its review
    activities (open or done) would block the deletion of their type, and the notes of
    its proposal subtype (internal) become plain internal notes rather than messages
    without a subtype."""
    review_type = env.ref(
        "kommune_interkulturell_portal.mail_activity_type_profile_proposal",
        raise_if_not_found=False,
    )
    if review_type:
        env["mail.activity"].with_context(active_test=False).search(
            [("activity_type_id", "=", review_type.id)]
        ).unlink()
    subtype = env.ref("kommune_interkulturell_portal.mt_profile_proposal", raise_if_not_found=False)
    if subtype:
        env["mail.message"].search([("subtype_id", "=", subtype.id)]).subtype_id = env.ref(
            "mail.mt_note"
        )
