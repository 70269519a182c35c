from odoo.tests import Form

from .common_training import KommuneTrainingCommon


class InvitationRuleCommon(KommuneTrainingCommon):
    """People of an organisation for every reason of the rule of who may be invited:
    invitable, blocklisted, opted out, bounced, without consent, without address; and
    an organisation that objected. Staff (a plain user) invite them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.purpose_invitation = cls.env.ref("kommune_interkulturell.consent_purpose_invitation")
        Partner = cls.env["res.partner"]
        cls.org = Partner.create(
            {
                "name": "Test MO Regel e.V.",
                "is_company": True,
                "organization_type_id": cls.type_mo.id,
                "district_id": cls.district_mitte.id,
                "email": "info@test-regel.example.org",
            }
        )
        cls.objecting_org = Partner.create(
            {
                "name": "Test MO Widerspruch e.V.",
                "is_company": True,
                "organization_type_id": cls.type_mo.id,
                "district_id": cls.district_mitte.id,
                "email": "info@test-widerspruch.example.org",
            }
        )

        def person(name, email=True):
            slug = name.lower().replace(" ", ".")
            return Partner.create(
                {
                    "name": name,
                    "parent_id": cls.org.id,
                    "network_role": "volunteer",
                    "lang": "de_DE",
                    "email": f"{slug}@test-regel.example.org" if email else False,
                }
            )

        cls.invitable = person("Test Ina Einladbar")
        cls.invitable_too = person("Test Ida Einladbar")
        cls.blocklisted = person("Test Bea Blockliste")
        cls.opted_out = person("Test Olaf Abgemeldet")
        cls.bounced = person("Test Boris Unzustellbar")
        cls.without_consent = person("Test Otto Ohnezustimmung")
        cls.without_email = person("Test Emil Ohnemail", email=False)
        cls.people = (
            cls.invitable
            | cls.invitable_too
            | cls.blocklisted
            | cls.opted_out
            | cls.bounced
            | cls.without_consent
            | cls.without_email
        )
        cls.env["kommune.consent"].create(
            [
                {"partner_id": partner.id, "purpose_id": cls.purpose_invitation.id}
                for partner in cls.people - cls.without_consent
            ]
        )
        cls.env["mail.blacklist"]._add(cls.blocklisted.email)
        cls.bounced.message_bounce = 1
        # Unsubscribed from an earlier campaign; the organisation asked by phone.
        cls.opted_out._set_invitation_opt_out()
        cls.objecting_org.with_user(cls.user).invitation_opt_out = True
        cls.refused_by_mail = {
            cls.blocklisted: "blocklisted",
            cls.opted_out: "opt_out",
            cls.bounced: "bounced",
            cls.without_consent: "no_legal_basis",
            cls.without_email: "no_email",
        }
        cls.refused_without_mail = {
            cls.opted_out: "opt_out",
            cls.without_consent: "no_legal_basis",
        }

    def invite_persons(self, partners=None, organizations=None, send_mail=True):
        """The Invite Persons wizard as staff (a plain user) fill it in, saved."""
        action = self.training.with_user(self.user).action_invite()
        form = Form(
            self.env[action["res_model"]].with_user(self.user).with_context(**action["context"])
        )
        for partner in partners or ():
            form.partner_ids.add(partner)
        for organization in organizations or ():
            form.organization_ids.add(organization)
        form.send_mail = send_mail
        return form.save()

    def reasons(self, wizard):
        return {line.partner_id: line.reason for line in wizard.exclusion_ids}

    def invitation_mails(self):
        return self.env["mail.mail"].search(
            [
                ("model", "=", "kommune.training.registration"),
                ("res_id", "in", self.training.registration_ids.ids),
                ("subject", "ilike", "Einladung"),
            ]
        )

    def registrations(self, state):
        return self.training.registration_ids.filtered(
            lambda registration: registration.state == state
        )
