from odoo.tests import new_test_user

from .common_training import KommuneTrainingCommon


class PrivacyCommon(KommuneTrainingCommon):
    """The training of KommuneTrainingCommon, the shipped purposes of processing, a
    user with access to sensitive data, and a second company with a user of its own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.sensitive_user = new_test_user(
            env,
            login="ki_sensitive",
            name="Sina Sensibel",
            groups="kommune_interkulturell.group_kommune_sensitive",
        )
        cls.purpose_training = env.ref("kommune_interkulturell.consent_purpose_training")
        cls.purpose_invitation = env.ref("kommune_interkulturell.consent_purpose_invitation")
        cls.purpose_photo = env.ref("kommune_interkulturell.consent_purpose_photo")
        cls.company = env.company
        cls.other_company = env["res.company"].create({"name": "Test Zweites Projekt gGmbH"})
        cls.other_user = new_test_user(
            env,
            login="ki_other_company",
            name="Otto Anderswo",
            groups="kommune_interkulturell.group_kommune_manager",
            company_id=cls.other_company.id,
            company_ids=[(6, 0, cls.other_company.ids)],
        )

    @classmethod
    def give_consent(cls, partner, purpose, **values):
        return cls.env["kommune.consent"].create(
            {"partner_id": partner.id, "purpose_id": purpose.id, **values}
        )
