from odoo.addons.survey.controllers.main import Survey


class KommuneSurvey(Survey):
    def _check_validity(
        self, survey_sudo, answer_sudo, answer_token, ensure_token=True, check_partner=True
    ):
        """Training feedback keeps no person on its answers (survey.survey.
        _create_answer): survey would take a logged-in respondent's own answer for
        somebody else's. The answer's token alone says whose it is, as for visitors."""
        if survey_sudo.kommune_is_training_feedback:
            check_partner = False
        return super()._check_validity(
            survey_sudo,
            answer_sudo,
            answer_token,
            ensure_token=ensure_token,
            check_partner=check_partner,
        )
