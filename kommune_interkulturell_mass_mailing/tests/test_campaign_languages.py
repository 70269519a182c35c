from lxml import html

from odoo.addons.kommune_interkulturell.tests.test_public_languages import (
    PUBLIC_LANGS,
    RTL_LANGS,
    PublicLanguagesMixin,
    load_public_langs,
    texts,
)
from odoo.tests import tagged

from .common_invitation import InvitationPagesCommon

MODULES = ("kommune_interkulturell", "kommune_interkulturell_mass_mailing")


@tagged("post_install", "-at_install")
class TestCampaignLanguages(PublicLanguagesMixin, InvitationPagesCommon):
    """The campaign's mail and the personal registration page in each of the
    network's languages: no English left, right to left for Arabic and Farsi."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_public_langs(cls.env, MODULES)
        # The languages of the training show on the page and in the mail.
        cls.training.language_ids = cls.env["kommune.language"].search(
            [("code", "in", ("de", "ar"))]
        )
        cls.guest = cls.env["res.partner"].create(
            {"name": "Test Gast Ohnerolle", "parent_id": cls.mo_arabic.id, "email": "g@example.org"}
        )
        cls.allowed = {
            cls.training.name,
            cls.env.company.name,
            cls.env.company.email or "-",
            cls.guest.name,
            cls.mo_arabic.name,
            cls.user.name,
        } | {
            part
            for _code, name in cls.env["res.lang"].get_installed()
            for part in name.split(" / ")
        }
        cls.allowed |= (
            set(cls.training._get_location().split(", ")) if cls.training.venue_id else set()
        )

    def test_campaign_mail_in_every_language(self):
        template = self.env.ref(
            "kommune_interkulturell_mass_mailing.mail_template_training_campaign"
        )

        def render(lang):
            return str(
                template.with_context(lang=lang)._render_field(
                    "body_html", self.training.ids, compute_lang=False
                )[self.training.id]
            )

        # The placeholder each mail of the campaign replaces with the person's name.
        allowed = self.allowed | {"Amal Haddad"}
        english = texts(render("en_US"))
        for lang in PUBLIC_LANGS:
            with self.subTest(lang=lang):
                body = render(lang)
                self.assertTranslated(english, texts(body), allowed, f"campaign mail ({lang})")
                self.assertEqual(html.fromstring(body).get("dir") == "rtl", lang in RTL_LANGS)

    def test_registration_page_in_every_language(self):
        link = self.link(self.guest)
        english = self.url_open(f"{link}?lang=en_US", timeout=120)
        self.assertIn("Register", english.text)
        english_texts = texts(english.text, "//div[@id='wrap']")
        for lang in PUBLIC_LANGS:
            with self.subTest(lang=lang):
                response = self.url_open(f"{link}?lang={lang}", timeout=120)
                self.assertEqual(response.status_code, 200)
                tree = html.fromstring(response.text)
                self.assertEqual(tree.get("dir"), "rtl" if lang in RTL_LANGS else "ltr")
                self.assertTranslated(
                    english_texts,
                    texts(response.text, "//div[@id='wrap']"),
                    self.allowed,
                    f"registration page ({lang})",
                )
                self.assertIn("?lang=en_US", tree.xpath("//nav//a/@href"))

    def test_forms_keep_the_chosen_language(self):
        # A German speaker whose browser asks for German switches to Ukrainian: the
        # pages after the form must not fall back to German.
        self.guest.lang = "de_DE"
        page = self.url_open(
            f"{self.link(self.guest)}?lang=uk_UA", headers={"Accept-Language": "de"}
        )
        tree = html.fromstring(page.text)
        action = tree.xpath("//form[.//input[@name='csrf_token']]/@action")[0]
        self.assertTrue(action.endswith("/register?lang=uk_UA"), action)
        response = self.url_open(
            action,
            data={
                "csrf_token": tree.xpath("//input[@name='csrf_token']/@value")[0],
                "consent": "1",
                "network_role": "volunteer",
            },
            headers={"Accept-Language": "de"},
        )
        self.assertEqual(response.status_code, 200, response.text[:300])
        self.assertEqual(html.fromstring(response.text).get("lang"), "uk-UA")
        self.assertTrue(
            self.env["kommune.training.registration"].search_count(
                [("training_id", "=", self.training.id), ("partner_id", "=", self.guest.id)]
            )
        )
