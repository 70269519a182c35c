from datetime import datetime

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
        cls.anonymous = env["kommune.privacy"]._get_anonymous_name()
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

    @classmethod
    def make_traces(cls, person):
        """Give ``person`` a trace in every corner of the network: a registration with
        notes and attendance, consents with details, a cooperation they are the contact
        person of, a meeting with an action item, notes and mails in the chatters.

        :return: dict of the records made
        """
        env = cls.env
        silent = cls.training.with_context(kommune_training_no_mail=True)
        registration = silent._register_participant(
            person, consent=True, note="Braucht Kinderbetreuung (Asthma des Sohnes)."
        )
        cls.sessions[0].action_mark_all_present()
        photo = cls.give_consent(
            person, cls.purpose_photo, channel="paper", note="Formular im Ordner 2031/03."
        )
        cooperation = env["kommune.cooperation"].create(
            {
                "name": "Test Kooperation Datenschutz",
                "member_ids": [(0, 0, {"partner_id": cls.mo.id, "contact_id": person.id})],
            }
        )
        meeting = env["calendar.event"].create(
            {
                "name": "Test Treffen Datenschutz",
                "cooperation_id": cooperation.id,
                "start": datetime(2025, 3, 3, 9, 0),
                "stop": datetime(2025, 3, 3, 10, 0),
                "partner_ids": [(6, 0, person.ids)],
                "cooperation_action_item_ids": [
                    (0, 0, {"name": "Flyer übersetzen", "partner_id": person.id})
                ],
            }
        )
        person.message_post(
            body=f"Telefonat mit {person.name}: Aufenthaltsstatus ungeklärt.",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        reply = cls.training.message_post(
            body=f"Liebe Grüße, {person.name}, Tel. 030 1234567",
            author_id=person.id,
            email_from=f'"{person.name}" <{person.email}>',
            message_type="email",
            subtype_xmlid="mail.mt_comment",
        )
        mention = cooperation.message_post(
            body=f"Gespräch mit {person.name} ({person.email}) über den Flyer.",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        mail_to_person = registration.message_post(
            body="Ihre Anmeldung ist bestätigt.",
            partner_ids=person.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        return {
            "registration": registration,
            "photo": photo,
            "cooperation": cooperation,
            "meeting": meeting,
            "reply": reply,
            "mention": mention,
            "mail_to_person": mail_to_person,
        }
