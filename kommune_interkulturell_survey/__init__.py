from odoo.fields import Command

from . import controllers
from . import models
from . import wizard


def _uninstall_hook(env):
    """The Survey rights the bridge gave the project's managers go with it: their
    group would keep implying them, and with them every Survey answer of the database
    once the bridge's rules that narrowed them down are gone."""
    manager_group = env.ref(
        "kommune_interkulturell.group_kommune_manager", raise_if_not_found=False
    )
    survey_group = env.ref("survey.group_survey_user", raise_if_not_found=False)
    if manager_group and survey_group:
        manager_group.implied_ids = [Command.unlink(survey_group.id)]
