import re

from lxml import html

from odoo.tests import HttpCase, tagged

from .common_training import KommuneTrainingCommon

# The network's languages besides German and English: the public pages and the mails
# to people outside the association speak them.
PUBLIC_LANGS = ["ar_001", "fa_IR", "tr_TR", "ru_RU", "uk_UA"]
RTL_LANGS = {"ar_001", "fa_IR"}
MAIL_TEMPLATES = {
    "mail_template_training_invitation": "registration",
    "mail_template_training_confirmation": "registration",
    "mail_template_training_waitlist": "registration",
    "mail_template_training_reminder": "registration",
    "mail_template_training_cancelled": "registration",
    "mail_template_training_thanks": "registration",
    "mail_template_consent_confirmation": "consent",
}
LETTER_RE = re.compile(r"[^\W\d_]")


def load_public_langs(env, modules=("kommune_interkulturell",)):
    """Activate the languages and load the addons' terms for them - as installing a
    language does (base.language.install), without loading every other module's."""
    for code in PUBLIC_LANGS:
        env["res.lang"]._activate_lang(code)
    env["res.lang"]._activate_lang("en_US")
    env["ir.module.module"]._load_module_terms(list(modules), PUBLIC_LANGS)


def texts(markup, root_xpath="//body"):
    """The words a reader sees: text nodes and the attributes read out or shown
    (placeholder, title, alt, aria-label), with normalised spaces, that hold a
    letter."""
    tree = html.fromstring(markup)
    roots = tree.xpath(root_xpath) or [tree]
    found = set()
    for root in roots:
        for node in root.iter():
            if not isinstance(node.tag, str) or node.tag in ("script", "style"):
                continue
            values = [node.text, node.tail if node is not root else None]
            values += [node.get(name) for name in ("placeholder", "title", "alt", "aria-label")]
            for value in values:
                value = " ".join((value or "").split())
                if LETTER_RE.search(value):
                    found.add(value)
    return found


class PublicLanguagesMixin:
    def assertTranslated(self, english, translated, allowed, what):
        """Nothing of the English text is left in the translated one, but the data
        (names, addresses) both show."""
        left = {
            text
            for text in english & translated
            if not any(text.strip(" ,.:()·") in data or data in text for data in allowed)
        }
        self.assertFalse(left, f"untranslated in {what}")


@tagged("post_install", "-at_install")
class TestMailLanguages(PublicLanguagesMixin, KommuneTrainingCommon):
    """Each mail to a person outside the association, in each of the network's
    languages: no English sentence left, right to left for Arabic and Farsi."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_public_langs(cls.env)
        cls.registration = cls.env["kommune.training.registration"].create(
            {"training_id": cls.training.id, "partner_id": cls.persons[0].id}
        )
        cls.consent = cls.env["kommune.consent"].create(
            {
                "partner_id": cls.persons[1].id,
                "purpose_id": cls.env.ref("kommune_interkulturell.consent_purpose_invitation").id,
                "confirmation_pending": True,
                "channel": "web",
            }
        )

    def render(self, template, record, lang):
        template = template.with_context(lang=lang)
        body = template._render_field("body_html", record.ids, compute_lang=False)[record.id]
        subject = template._render_field("subject", record.ids, compute_lang=False)[record.id]
        return str(body), subject

    def test_every_mail_in_every_language(self):
        for xmlid, kind in MAIL_TEMPLATES.items():
            template = self.env.ref(f"kommune_interkulturell.{xmlid}")
            record = self.registration if kind == "registration" else self.consent
            allowed = {
                record.partner_id.name,
                self.training.name,
                self.env.company.name,
                self.user.name,
                self.mo.name,
            }
            english_body, english_subject = self.render(template, record, "en_US")
            for lang in PUBLIC_LANGS:
                with self.subTest(mail=xmlid, lang=lang):
                    body, subject = self.render(template, record, lang)
                    self.assertTranslated(
                        texts(english_body), texts(body), allowed, f"{xmlid} ({lang})"
                    )
                    self.assertNotEqual(
                        subject.replace(self.training.name, ""),
                        english_subject.replace(self.training.name, ""),
                    )
                    self.assertEqual(html.fromstring(body).get("dir") == "rtl", lang in RTL_LANGS)


@tagged("post_install", "-at_install")
class TestPageLanguages(PublicLanguagesMixin, HttpCase):
    """The public pages of the app in each of the network's languages, chosen with the
    language switcher: no English left, mirrored for Arabic and Farsi."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_public_langs(cls.env)
        cls.lang_names = {
            part
            for _code, name in cls.env["res.lang"].get_installed()
            for part in name.split(" / ")
        }

    def page(self, path, lang):
        # The first right-to-left page builds the mirrored styles (sass, rtlcss).
        response = self.url_open(f"{path}?lang={lang}", timeout=120)
        self.assertEqual(response.headers["Content-Type"].split(";")[0], "text/html")
        return response

    def test_pages_in_every_language(self):
        # The company's data, as far as it has any: an empty e-mail allows no text.
        allowed = self.lang_names | {
            data for data in (self.env.company.name, self.env.company.email) if data
        }
        for path in ("/kommune/subscribe", "/kommune/subscribe/confirm/1-2-nothing-valid"):
            english = self.page(path, "en_US")
            english_texts = texts(english.text, "//div[@id='wrap']")
            self.assertIn(
                "This link does not work" if "confirm" in path else "Sign up", english.text
            )
            for lang in PUBLIC_LANGS:
                with self.subTest(path=path, lang=lang):
                    response = self.page(path, lang)
                    tree = html.fromstring(response.text)
                    self.assertEqual(tree.get("lang"), lang.replace("_", "-"))
                    self.assertEqual(tree.get("dir"), "rtl" if lang in RTL_LANGS else "ltr")
                    self.assertTranslated(
                        english_texts,
                        texts(response.text, "//div[@id='wrap']"),
                        allowed,
                        f"{path} ({lang})",
                    )
                    # Every other language is one click away.
                    switcher = tree.xpath("//nav[@name='kommune_lang_switcher']//a/@href")
                    self.assertIn("?lang=en_US", switcher)
                    self.assertNotIn(f"?lang={lang}", switcher)

    def test_rtl_pages_load_mirrored_styles(self):
        ltr = self.page("/kommune/subscribe", "tr_TR").text
        rtl = self.page("/kommune/subscribe", "fa_IR").text
        css = re.compile(r'href="(/web/assets/[^"]*web\.assets_frontend[^"]*\.css)"')
        self.assertNotIn(".rtl", css.search(ltr).group(1))
        rtl_css = css.search(rtl).group(1)
        self.assertIn(".rtl", rtl_css)
        self.assertEqual(
            self.url_open(rtl_css, timeout=180).status_code, 200, "rtlcss built the styles"
        )

    def test_sign_up_form_keeps_the_chosen_language(self):
        # The visitor's browser asks for German; they chose Turkish on the page: the answer
        # to the form (here: an address missing) stays Turkish.
        page = self.url_open("/kommune/subscribe?lang=tr_TR", headers={"Accept-Language": "de"})
        tree = html.fromstring(page.text)
        action = tree.xpath("//form[.//input[@name='csrf_token']]/@action")[0]
        self.assertEqual(action, "/kommune/subscribe?lang=tr_TR")
        response = self.url_open(
            action,
            data={"csrf_token": tree.xpath("//input[@name='csrf_token']/@value")[0]},
            headers={"Accept-Language": "de"},
        )
        self.assertEqual(html.fromstring(response.text).get("lang"), "tr-TR")

    def test_switcher_ignores_unknown_languages(self):
        for value in ("xx_XX", "de_DE'><script>", "a" * 300):
            response = self.url_open(f"/kommune/subscribe?lang={value}")
            self.assertEqual(response.status_code, 200)
            self.assertNotIn("<script>", response.text.split("<body", 1)[1].split("</form>")[0])
