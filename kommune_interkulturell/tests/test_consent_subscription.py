import re
from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from ..controllers.kommune_subscription import SIGNUP_MAILS_PER_HOUR
from ..models.kommune_consent import CONFIRMATION_DAYS
from .common_public import CSRF_RE

CONFIRM_RE = re.compile(r'href="[^"]*(/kommune/subscribe/confirm/[^"]+)"')


@tagged("post_install", "-at_install")
class TestConsentSubscription(HttpCase):
    """Signing up for invitations on the public page, with double opt-in: the consent
    counts only once confirmed through the mailed link; until then nothing reaches the
    person. The page answers the same whether the address is known; public input never
    changes an existing contact; unconfirmed sign-ups disappear after the link expired."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("de_DE")
        cls.purpose = cls.env.ref("kommune_interkulturell.consent_purpose_invitation")
        cls.known = cls.env["res.partner"].create(
            {"name": "Test Bekannte Person", "email": "bekannt@test-signup.example.org"}
        )
        cls.Partner = cls.env["res.partner"].with_context(active_test=False)

    def sign_up(self, email, name="Test Neue Person", accept_lang="de-DE", **values):
        page = self.url_open("/kommune/subscribe", headers={"Accept-Language": accept_lang})
        self.assertEqual(page.status_code, 200)
        data = {
            "csrf_token": CSRF_RE.search(page.text).group(1),
            "name": name,
            "email": email,
            "organization": "Test Verein e.V.",
            "lang": "de_DE",
            "consent": "1",
            **values,
        }
        return self.url_open(
            "/kommune/subscribe", data=data, headers={"Accept-Language": accept_lang}
        )

    def consents(self, email):
        self.env.invalidate_all()
        return self.env["kommune.consent"].search(
            [("partner_id.email_normalized", "=", email), ("purpose_id", "=", self.purpose.id)]
        )

    def confirmation_mails(self, email):
        return self.env["mail.mail"].search(
            [("model", "=", "kommune.consent"), ("res_id", "in", self.consents(email).ids)]
        )

    def confirm_link(self, email):
        (mail,) = self.confirmation_mails(email)
        return CONFIRM_RE.search(mail.body_html).group(1)

    def invitable(self, partner):
        Partner = self.env["res.partner"].with_context(active_test=False)
        return bool(
            Partner.search_count(
                [("id", "=", partner.id)] + list(Partner._kommune_invitable_domain())
            )
        )

    def test_sign_up_and_confirm(self):
        email = "neu@test-signup.example.org"
        response = self.sign_up(email)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Fast geschafft", response.text)
        consent = self.consents(email)
        partner = consent.partner_id
        self.assertEqual(consent.state, "pending")
        self.assertEqual(consent.channel, "web")
        self.assertEqual(
            (partner.name, partner.lang, partner.company_name, partner.active),
            ("Test Neue Person", "de_DE", "Test Verein e.V.", False),
        )
        # Until confirmed: archived, out of every audience, nothing but the link.
        self.assertFalse(self.invitable(partner))
        self.assertFalse(self.env["res.partner"].search([("email", "=", email)]))
        (mail,) = self.confirmation_mails(email)
        self.assertEqual(
            mail.subject, f"Bitte bestätigen: Einladungen von {consent.company_id.name}"
        )
        link = self.confirm_link(email)

        # Opening the link (a mail scanner does too) does not confirm.
        page = self.url_open(link)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Anmeldung bestätigen", page.text)
        self.env.invalidate_all()
        self.assertEqual(consent.state, "pending")

        response = self.url_open(link, data={"csrf_token": CSRF_RE.search(page.text).group(1)})
        self.assertEqual(response.status_code, 200)
        self.assertIn("Ihre Anmeldung ist bestätigt", response.text)
        self.env.invalidate_all()
        self.assertEqual(consent.state, "given")
        self.assertTrue(partner.active)
        self.assertTrue(self.invitable(partner))
        # The chatter says so in the person's language, as the page did.
        self.assertIn("(Double-Opt-in)", partner.message_ids[0].body)
        # The link again: confirmed, nothing changes.
        page = self.url_open(link)
        self.assertIn("Ihre Anmeldung ist bestätigt", page.text)
        self.assertEqual(len(self.consents(email)), 1)

    def test_known_address_gets_the_same_answer_and_is_not_changed(self):
        unknown = self.sign_up("unbekannt@test-signup.example.org")
        known = self.sign_up(self.known.email, name="Angreifer")
        self.assertEqual(known.status_code, unknown.status_code)
        self.assertEqual(
            re.sub(CSRF_RE.pattern + '|csrf_token: "[^"]+"', "", known.text),
            re.sub(CSRF_RE.pattern + '|csrf_token: "[^"]+"', "", unknown.text),
        )
        self.env.invalidate_all()
        self.assertEqual(self.known.name, "Test Bekannte Person", "public input changes nobody")
        self.assertEqual(
            self.Partner.search_count([("email_normalized", "=", self.known.email)]), 1
        )
        consent = self.consents(self.known.email)
        self.assertEqual((consent.partner_id, consent.state), (self.known, "pending"))
        self.assertFalse(consent.signup_created_partner)
        self.assertFalse(self.invitable(self.known), "not before the owner confirmed")

    def test_contact_of_another_company_is_neither_used_nor_revealed(self):
        """The address belongs to a contact of another company: the sign-up gets the
        usual answer, and its consent goes to a contact the signing company may use
        (never onto the other company's contact, which it could not hold)."""
        other = self.env["res.company"].create({"name": "Test Signup Other Company"})
        stranger = self.env["res.partner"].create(
            {"name": "Olga Other", "email": "olga@test-signup.example.org", "company_id": other.id}
        )
        response = self.sign_up("olga@test-signup.example.org")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Fast geschafft", response.text)
        consent = self.consents("olga@test-signup.example.org")
        self.assertEqual(consent.state, "pending")
        self.assertNotEqual(consent.partner_id, stranger)
        self.assertFalse(consent.partner_id.company_id)

    def test_confirming_keeps_an_archived_contact_archived(self):
        """A contact staff archived is not brought back by a sign-up in its name."""
        self.known.active = False
        self.sign_up(self.known.email)
        consent = self.consents(self.known.email)
        self.assertEqual(consent.partner_id, self.known)
        consent._action_confirm()
        self.assertEqual(consent.state, "given")
        self.assertFalse(self.known.active)

    def test_consent_in_force_tells_its_owner(self):
        """A sign-up of an address whose consent is in force changes nothing and asks
        for no confirmation; its owner is told, as every other address gets a mail: the
        answer, and the work behind it (whose time a stranger could measure), are the
        same for every address."""
        self.known.lang = "de_DE"
        consent = self.env["kommune.consent"].create(
            {"partner_id": self.known.id, "purpose_id": self.purpose.id}
        )
        self.assertEqual(self.sign_up(self.known.email).status_code, 200)
        self.assertEqual(self.consents(self.known.email), consent)
        self.assertEqual(consent.state, "given")
        (mail,) = self.confirmation_mails(self.known.email)
        self.assertEqual(mail.recipient_ids, self.known, "to the address's owner only")
        self.assertIn("erhalten Sie bereits", mail.body_html)
        self.assertNotIn("/kommune/subscribe/confirm/", mail.body_html, "nothing to confirm")

    def test_signing_up_again_reuses_the_sign_up(self):
        email = "zweimal@test-signup.example.org"
        for _attempt in range(SIGNUP_MAILS_PER_HOUR + 2):
            self.assertEqual(self.sign_up(email).status_code, 200)
        self.assertEqual(len(self.consents(email)), 1)
        self.assertEqual(
            self.Partner.search_count([("email_normalized", "=", email)]), 1, "one contact"
        )
        self.assertEqual(
            len(self.confirmation_mails(email)),
            SIGNUP_MAILS_PER_HOUR,
            "a stranger's mailbox is not flooded",
        )

    def test_persian_names_keep_their_joiners(self):
        """Persian is written with zero-width non-joiners, in names and organisations
        too: the sign-up takes them as written. Invisible characters that make a name
        read as another (a zero-width space, a direction override) are refused, and so
        is a name of nothing but joiners or blank-looking letters."""
        email = "farsi@test-signup.example.org"
        name, organization = "علی‌رضا احمدی", "انجمن فرهنگی‌ها"
        response = self.sign_up(email, name=name, organization=organization)
        self.assertEqual(response.status_code, 200)
        partner = self.consents(email).partner_id
        self.assertEqual((partner.name, partner.company_name), (name, organization))
        for index, (case, value) in enumerate(
            (
                ("zero-width space", "Ali\u200bReza"),
                ("override", "\u202eAli"),
                ("only a joiner", "\u200c"),
                ("joiners around blanks", "\u200d \u200c"),
                ("a joiner at the start", "\u200cAli"),
                ("hangul filler", "\u3164"),
                ("blank braille pattern", "Ali \u2800"),
            )
        ):
            with self.subTest(case=case):
                refused = f"refused.{index}@test-signup.example.org"
                response = self.sign_up(refused, name=value)
                self.assertEqual(response.status_code, 400)
                self.assertFalse(self.consents(refused))

    def test_invalid_form(self):
        cases = {
            "email": {"email": "kein-mail"},
            "name": {"name": ""},
            "consent": {"consent": ""},
            "lang": {"lang": "xx_XX"},
            "organization": {"organization": "x" * 200},
        }
        for field, values in cases.items():
            with self.subTest(field=field):
                email = values.pop("email", f"{field}@test-signup.example.org")
                response = self.sign_up(email, **values)
                self.assertEqual(response.status_code, 400)
                self.assertIn("is-invalid", response.text)
                self.assertFalse(self.consents(email))
        self.assertFalse(
            self.Partner.search(
                [("email", "ilike", "test-signup.example.org"), ("id", "!=", self.known.id)]
            )
        )

    def test_bad_and_expired_links(self):
        email = "spaet@test-signup.example.org"
        self.sign_up(email)
        link = self.confirm_link(email)
        consent_id, expiry, signature = link.rsplit("/", 1)[1].split("-")
        for token in (
            "x",
            f"{consent_id}-{expiry}-{'0' * 64}",
            f"{consent_id}-{int(expiry) + 86400}-{signature}",
            f"{int(consent_id) + 1}-{expiry}-{signature}",
        ):
            with self.subTest(token=token[:30]):
                response = self.url_open(f"/kommune/subscribe/confirm/{token}")
                self.assertEqual(response.status_code, 404)
                self.assertIn("Dieser Link funktioniert nicht", response.text)

        consent = self.consents(email)
        self.env.cr.execute(
            "UPDATE kommune_consent SET create_date = create_date - interval '8 days' "
            "WHERE id = %s",
            [consent.id],
        )
        self.env.invalidate_all()
        # The link as it was mailed eight days ago.
        link = f"/kommune/subscribe/confirm/{consent._get_confirmation_token()}"
        response = self.url_open(link)
        self.assertEqual(response.status_code, 410)
        self.assertIn("abgelaufen", response.text)
        response = self.url_open(
            link,
            data={"csrf_token": CSRF_RE.search(self.url_open("/kommune/subscribe").text).group(1)},
        )
        self.assertEqual(response.status_code, 410)
        self.assertEqual(self.consents(email).state, "pending")

    def test_unconfirmed_sign_ups_are_deleted(self):
        self.sign_up("vergessen@test-signup.example.org")
        self.sign_up(self.known.email)
        forgotten = self.consents("vergessen@test-signup.example.org")
        forgotten_partner = forgotten.partner_id
        known_pending = self.consents(self.known.email)
        recent = self.sign_up("frisch@test-signup.example.org") and self.consents(
            "frisch@test-signup.example.org"
        )
        old = fields.Datetime.now() - timedelta(days=CONFIRMATION_DAYS + 1)
        self.env.cr.execute(
            "UPDATE kommune_consent SET create_date = %s WHERE id IN %s",
            [old, (forgotten.id, known_pending.id)],
        )
        self.env.invalidate_all()
        self.env["kommune.consent"]._gc_unconfirmed()
        self.assertFalse(forgotten.exists())
        self.assertFalse(forgotten_partner.exists(), "the contact the sign-up created goes too")
        self.assertFalse(known_pending.exists())
        self.assertTrue(self.known.exists(), "an existing contact stays")
        self.assertTrue(recent.exists(), "a link still valid stays")

    def test_given_consents_are_still_never_deleted(self):
        consent = self.env["kommune.consent"].create(
            {"partner_id": self.known.id, "purpose_id": self.purpose.id}
        )
        with self.assertRaises(UserError):
            consent.unlink()
