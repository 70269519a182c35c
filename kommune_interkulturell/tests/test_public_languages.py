import re

from lxml import html

from odoo.tests import HttpCase, tagged

from ..models.kommune_rate_limit import RATE_LIMIT_PARAM
from .common_public import CSRF_RE
from .common_training import KommuneTrainingCommon
from .test_questionnaire_public import ANSWERS

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


@tagged("post_install", "-at_install")
class TestQuestionnaireLanguages(PublicLanguagesMixin, HttpCase):
    """The participant questionnaire of ESF Plus in each of the network's languages: the
    mail with the personal link, the page of the link (with its reminders of missing
    answers), the thank-you page after saving and the page of the ended link - in the
    person's language, or in the one they choose with the language switcher, which the
    saved form keeps. No English left, mirrored for Arabic and Farsi."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_public_langs(cls.env)
        # Six languages with four pages each: more requests than a visitor sends a
        # minute (the limit has its own tests).
        cls.env["ir.config_parameter"].set_param(RATE_LIMIT_PARAM, 1000)
        cls.env["kommune.funding.period"].search([]).action_archive()
        cls.period = cls.env["kommune.funding.period"].create(
            {"name": "Test Periode Sprachen", "date_start": "2031-01-01", "date_end": "2031-12-31"}
        )
        company = cls.env.company
        cls.allowed = {
            part
            for _code, name in cls.env["res.lang"].get_installed()
            for part in name.split(" / ")
        } | {data for data in (company.name, company.email, cls.period.name) if data}

    def send_link(self, lang):
        person = self.env["res.partner"].create(
            {"name": f"Amal Test-{lang}", "email": f"amal.{lang}@test-q.example.org", "lang": lang}
        )
        # An answer stored (staff typed it in): the page says it is answered.
        questionnaire = self.env["kommune.participant.questionnaire"].create(
            {"partner_id": person.id, "period_id": self.period.id, "gender": "male"}
        )
        questionnaire._send_self_fill_link()
        return questionnaire, f"/kommune/questionnaire/{questionnaire._get_self_fill_token()}"

    def open(self, url, data=None):
        # The first right-to-left page builds the mirrored styles (sass, rtlcss).
        if data is not None:
            csrf = CSRF_RE.search(self.url_open(url, timeout=120).text).group(1)
            data = {"csrf_token": csrf, **data}
        return self.url_open(url, data=data, timeout=120)

    def pages(self, url):
        """The participant's way through the link: the form, the form sent back with
        every reminder (a special category answered without its consent tick), the
        thank-you page, the ended link."""
        form = self.open(url)
        self.assertEqual(form.status_code, 200)
        action = html.fromstring(form.text).xpath("//form[@method='post']/@action")[0]
        reminders = self.open(action, {"disability": "yes"})
        self.assertEqual(reminders.status_code, 400)
        saved = self.open(action, ANSWERS)
        self.assertEqual(saved.status_code, 200)
        self.assertIn("o_kommune_questionnaire_saved", saved.text)
        ended = self.open(url)
        self.assertEqual(ended.status_code, 410)
        return {"form": form, "reminders": reminders, "saved": saved, "ended": ended}

    def assertPagesIn(self, lang, pages, english):
        for name, response in pages.items():
            tree = html.fromstring(response.text)
            self.assertEqual(tree.get("lang"), lang.replace("_", "-"), name)
            self.assertEqual(tree.get("dir"), "rtl" if lang in RTL_LANGS else "ltr", name)
            self.assertTranslated(
                texts(english[name].text, "//div[@id='wrap']"),
                texts(response.text, "//div[@id='wrap']"),
                self.allowed,
                f"{name} page ({lang})",
            )
            # The organisation and the period the questionnaire is for still show.
            self.assertIn(self.env.company.name, response.text)
            if name != "ended":
                self.assertIn(self.period.name, response.text)

    def test_pages_in_the_person_language(self):
        _questionnaire, url = self.send_link("en_US")
        english = self.pages(url)
        self.assertIn("Please choose an answer", english["reminders"].text)
        self.assertIn("Please tick the consent", english["reminders"].text)
        self.assertIn("Please enter a valid postcode", english["reminders"].text)
        self.assertIn("Already answered", english["form"].text)
        self.assertIn("Age at entry.", english["form"].text, "the questions explained")
        self.assertIn("Employed, including self-employed", english["form"].text)
        self.assertIn("Links to the questionnaire work", english["ended"].text)
        for lang in PUBLIC_LANGS:
            with self.subTest(lang=lang):
                questionnaire, url = self.send_link(lang)
                self.assertPagesIn(lang, self.pages(url), english)
                self.env.invalidate_all()
                self.assertEqual(questionnaire.gender, "female", "the answers are saved")

    def test_language_switcher(self):
        """A person whose contact says German reads the questionnaire in Ukrainian once
        they chose it; the form keeps the choice for the pages after it."""
        _questionnaire, url = self.send_link("en_US")
        english = self.pages(url)
        self.env["res.lang"]._activate_lang("de_DE")
        for lang in ("uk_UA", "fa_IR"):
            with self.subTest(lang=lang):
                _questionnaire, url = self.send_link("de_DE")
                german = self.open(url)
                self.assertEqual(html.fromstring(german.text).get("lang"), "de-DE")
                switcher = html.fromstring(german.text).xpath(
                    "//nav[@name='kommune_lang_switcher']//a/@href"
                )
                self.assertIn(f"?lang={lang}", switcher)
                self.assertPagesIn(lang, self.pages(f"{url}?lang={lang}"), english)

    def test_link_mail_in_every_language(self):
        template = self.env.ref("kommune_interkulturell.mail_template_questionnaire_link")

        def render(questionnaire, lang):
            rendering = template.with_context(
                lang=lang,
                kommune_self_fill_url=questionnaire._get_self_fill_url(),
                kommune_self_fill_expiry=questionnaire.self_fill_expiry,
            )
            body = rendering._render_field("body_html", questionnaire.ids, compute_lang=False)
            subject = rendering._render_field("subject", questionnaire.ids, compute_lang=False)
            return str(body[questionnaire.id]), subject[questionnaire.id]

        questionnaire, _url = self.send_link("en_US")
        english_body, english_subject = render(questionnaire, "en_US")
        self.assertIn("Fill in the questionnaire", english_body)
        company = self.env.company.name
        for lang in PUBLIC_LANGS:
            with self.subTest(lang=lang):
                questionnaire, _url = self.send_link(lang)
                body, subject = render(questionnaire, lang)
                allowed = {questionnaire.partner_id.name, company}
                self.assertTranslated(texts(english_body), texts(body), allowed, f"mail ({lang})")
                # The sentences around the person's name and the date, too.
                for english in ("Hello", "The link works until", "No answer"):
                    self.assertNotIn(english, body)
                self.assertIn(questionnaire.partner_id.name, body)
                self.assertIn(questionnaire._get_self_fill_url(), body, "the link itself")
                self.assertIn(company, subject)
                self.assertNotEqual(subject, english_subject)
                self.assertEqual(html.fromstring(body).get("dir") == "rtl", lang in RTL_LANGS)
                # The mail that went out speaks the person's language.
                sent = self.env["mail.mail"].search(
                    [("recipient_ids", "=", questionnaire.partner_id.id)]
                )
                self.assertEqual(sent.subject, subject)

    def test_bad_language_and_refused_form_keep_the_person_language(self):
        """A forged language choice changes nothing (the person's language, no markup
        echoed into the form); a form that cannot come from the page is refused in
        the person's language too, saving nothing."""
        questionnaire, url = self.send_link("fa_IR")
        for value in ("xx_XX", "fa_IR'><script>", "a" * 300):
            with self.subTest(value=value[:20]):
                response = self.open(f"{url}?lang={value}")
                self.assertEqual(response.status_code, 200)
                self.assertNotIn("<script>", response.text.split("<body", 1)[1])
                tree = html.fromstring(response.text)
                self.assertEqual(tree.get("lang"), "fa-IR")
                action = tree.xpath("//form[@method='post']/@action")[0]
                self.assertTrue(action.endswith("?lang=fa_IR"), action)
        response = self.open(url, {**ANSWERS, "gender": "robot"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("o_kommune_invitation", response.text)
        tree = html.fromstring(response.text)
        self.assertEqual((tree.get("lang"), tree.get("dir")), ("fa-IR", "rtl"))
        self.env.invalidate_all()
        self.assertEqual(questionnaire.self_fill_state, "sent", "nothing saved")
