from odoo.addons.kommune_interkulturell.tests.common_i18n import I18nChecks
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestI18n(I18nChecks, TransactionCase):
    MODULE = "kommune_interkulturell_survey"

    def test_german_loaded(self):
        self.env["res.lang"]._activate_lang("de_DE")
        env_de = self.env(context={"lang": "de_DE"})
        survey = env_de.ref(f"{self.MODULE}.survey_development_check_administration")
        self.assertEqual(survey.title, "IKÖ-Check")
        answer = env_de.ref(f"{self.MODULE}.survey_development_check_mo_finances_1_answer_4")
        self.assertEqual(answer.value, "Trifft voll zu")
