from odoo import api, models


class KommunePrivacy(models.AbstractModel):
    """Subject access and erasure of what the surveys hold of a person: their answers
    to self-checks and other surveys (with their address and free text), and the
    development checks they answered for their organisation."""

    _inherit = "kommune.privacy"

    def _kommune_survey_answers(self, persons):
        """The persons' survey answers. Erasure and subject access run after the
        manager check, in every company (see _anonymize): sudo, for these persons'
        answers only."""
        return self.env["survey.user_input"].sudo().search([("partner_id", "in", persons.ids)])

    @api.model
    def _get_app_sections(self, person, found, looked_up):
        Check = self.env["kommune.development.check"]
        return super()._get_app_sections(person, found, looked_up) + [
            (
                "survey_answers",
                self.env._("Survey Answers"),
                self._kommune_survey_answers(person).with_env(self.env)
                | looked_up("survey.user_input"),
            ),
            (
                "development_checks",
                self.env._("Self-Checks Answered"),
                Check.search([("respondent_id", "in", person.ids)]),
            ),
        ]

    @api.model
    def _get_last_activity(self, partners):
        """Starting or finishing a survey answer (a self-check, say) is the person's
        activity: a retention rule must not erase who answered within its period.
        Invitations staff sent and nobody started are not. Only dates are read, in
        every company (sudo), as the other activities."""
        activity = super()._get_last_activity(partners)
        if not partners:
            return activity
        for partner, started, ended in (
            self.env["survey.user_input"]
            .sudo()
            ._read_group(
                [("partner_id", "in", partners.ids)],
                ["partner_id"],
                ["start_datetime:max", "end_datetime:max"],
            )
        ):
            dates = [date for date in (activity.get(partner.id), started, ended) if date]
            if dates:
                activity[partner.id] = max(dates)
        return activity

    @api.model
    def _get_exported_fields(self):
        return {
            **super()._get_exported_fields(),
            "survey.user_input": ["survey_id", "create_date", "state", "email", "nickname"],
            "kommune.development.check": ["partner_id", "check_type", "date", "score"],
        }

    @api.model
    def _anonymize_app_records(self, persons, records):
        """The persons' survey answers stay for the scores of their organisation's
        checks, without their address, name and free text."""
        done = super()._anonymize_app_records(persons, records)
        answers = records("survey.user_input") | self._kommune_survey_answers(persons)
        answers.write({"email": False, "nickname": False})
        answers.user_input_line_ids.filtered(
            lambda line: line.value_char_box or line.value_text_box
        ).write({"value_char_box": False, "value_text_box": False})
        return done

    @api.model
    def _get_erasure_labels(self):
        return {
            **super()._get_erasure_labels(),
            "survey.user_input": self.env._("Address and free text removed, kept for the scores"),
        }
