from odoo import api, models
from odoo.exceptions import UserError


class CalendarEvent(models.Model):
    _inherit = "calendar.event"

    def _get_activity_excluded_models(self):
        # Sessions are calendar events linked to their training; a "Meeting" activity
        # per session would bury the training's real to-dos on the kanban cards.
        return super()._get_activity_excluded_models() + ["kommune.training"]

    @api.ondelete(at_uninstall=False)
    def _unlink_except_training_session(self):
        # sudo: whoever deletes the event, even without access to trainings, must not
        # leave a training with a session that has no date.
        sessions = (
            self.env["kommune.training.session"]
            .sudo()
            .with_context(active_test=False)
            .search([("calendar_event_id", "in", self.ids)])
        )
        if sessions:
            session = sessions[0]
            raise UserError(
                self.env._(
                    "“%(event)s” is a session of the training “%(training)s”: cancel or "
                    "delete it in the training.",
                    event=session.name,
                    training=session.training_id.name,
                )
            )
