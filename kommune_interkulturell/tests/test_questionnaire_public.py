from freezegun import freeze_time

from odoo.tests import tagged

from ..controllers.kommune_public import TOKEN_POST_LIMIT
from .common import KommuneTourCase
from .common_public import PublicHardeningCases, PublicPagesCommon

ANSWERS = {
    "first_name": "Amal",
    "last_name": "Haddad",
    "zip": "12043",
    "gender": "female",
    "age_group": "30_54",
    "employment_status": "employed",
    "education": "no_answer",
    "third_country_national": "yes",
    "foreign_background": "no_answer",
}


@tagged("post_install", "-at_install")
class TestQuestionnairePublicPage(PublicHardeningCases, PublicPagesCommon):
    """The participant fills in their questionnaire through their personal link, over
    HTTP as a browser does: prefilled, in their language, the special categories only
    with their own consent tick and never shown back; and everything a stranger or a
    broken request tries is refused with the friendly page, writing nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("de_DE")
        cls.env["res.lang"]._activate_lang("en_US")
        Period = cls.env["kommune.funding.period"]
        Period.search([]).action_archive()
        cls.period = Period.create(
            {
                "name": "Test Periode Öffentlich",
                "date_start": "2031-01-01",
                "date_end": "2031-12-31",
            }
        )
        cls.person, cls.other = cls.env["res.partner"].create(
            [
                {"name": "Amal Test-Haddad", "email": "amal@test-q.example.org", "lang": "en_US"},
                {"name": "Karim Test", "email": "karim@test-q.example.org", "lang": "de_DE"},
            ]
        )
        Questionnaire = cls.env["kommune.participant.questionnaire"]
        cls.questionnaire = Questionnaire.create(
            {
                "partner_id": cls.person.id,
                "period_id": cls.period.id,
                "zip": "10115",
                "gender": "no_answer",
                "special_consent": True,
                "disability": "yes",
            }
        )
        cls.other_questionnaire = Questionnaire.create(
            {"partner_id": cls.other.id, "period_id": cls.period.id}
        )
        (cls.questionnaire | cls.other_questionnaire)._send_self_fill_link()

    def setUp(self):
        super().setUp()
        self.url = self.link(self.questionnaire)

    def link(self, questionnaire):
        return f"/kommune/questionnaire/{questionnaire._get_self_fill_token()}"

    def submit(self, data, url=None):
        url = url or self.url
        return self.url_open(url, data={"csrf_token": self.csrf(url), **data})

    def stored(self):
        self.env.invalidate_all()
        return self.questionnaire.read(
            ["gender", "zip", "disability", "minority", "special_consent", "self_fill_state"]
        )[0]

    # The page and form the shared tests try (see PublicHardeningCases).
    guess_url = "/kommune/questionnaire/guess"
    free_text_field = "last_name"

    def page_urls(self):
        return [self.url]

    def form_url(self):
        return self.url

    def form_values(self, **values):
        return {**ANSWERS, **values}

    def written(self):
        return self.stored()["self_fill_state"] != "sent"

    # ------------------------------------------------------------
    # The participant
    # ------------------------------------------------------------

    def test_participant_fills_in_the_questionnaire(self):
        page = self.get(self.url)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Participant questionnaire", page.text, "the person's English")
        # Whoever holds the link must not learn the stored answers: the page says only
        # that a question is answered.
        self.assertNotIn("10115", page.text, "the stored postcode is not shown")
        self.assertNotIn('value="Amal"', page.text, "nor the name")
        self.assertNotRegex(page.text, r'id="o_kommune_gender_no_answer"[^>]*checked')
        self.assertIn("Already answered", page.text)
        self.assertIn("Test Periode Öffentlich", page.text)
        response = self.submit(ANSWERS)
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_kommune_questionnaire_saved", response.text)
        stored = self.stored()
        self.assertEqual((stored["gender"], stored["zip"]), ("female", "12043"))
        self.assertEqual(stored["self_fill_state"], "filled", "staff should check it")
        self.assertEqual(stored["disability"], "yes", "earlier special answers stay")
        self.assertTrue(self.questionnaire.is_complete)
        note = self.questionnaire.message_ids[0]
        self.assertEqual(note.author_id, self.person, "filled in by the person")
        self.assertFalse(
            self.questionnaire.message_ids.filtered(
                lambda message: message.author_id == self.env.ref("base.public_partner")
            )
        )
        # For staff, in the organisation's language (German), not the person's English.
        self.assertIn("Geschlecht", note.body)
        self.assertIn("Postleitzahl", note.body)
        self.assertNotIn("Disability", note.body)
        self.assertNotIn("12043", response.text, "the saved answers are not shown back")
        # The link ended with the saved form: whoever finds it later learns nothing.
        self.assertFriendly(self.get(self.url), 410)
        token = self.csrf(self.link(self.other_questionnaire))
        response = self.url_open(self.url, data={"csrf_token": token, **ANSWERS, "gender": "male"})
        self.assertFriendly(response, 410)
        self.assertEqual(self.stored()["gender"], "female")

    def test_empty_answer_keeps_the_stored_one(self):
        """The page does not show what is stored: left empty, an answered question
        keeps its answer; an unanswered one is still asked for."""
        response = self.submit({**ANSWERS, "zip": "", "first_name": "", "gender": ""})
        self.assertEqual(response.status_code, 200, response.text[-2000:])
        stored = self.stored()
        self.assertEqual((stored["zip"], stored["gender"]), ("10115", "no_answer"))
        self.assertEqual(self.questionnaire.first_name, "Amal Test-Haddad".rpartition(" ")[0])
        response = self.submit(
            {**ANSWERS, "age_group": ""}, url=self.link(self.other_questionnaire)
        )
        self.assertEqual(response.status_code, 400)

    def test_checked_by_staff_ends_the_link(self):
        self.questionnaire._self_fill_submit({"gender": "female"})
        self.questionnaire.action_mark_self_fill_checked()
        self.assertFriendly(self.get(self.url), 410)

    def test_page_in_german_for_german_speakers(self):
        page = self.get(self.link(self.other_questionnaire))
        self.assertEqual(page.status_code, 200)
        self.assertIn('lang="de-DE"', page.text)
        self.assertIn("Keine Angabe", page.text, "the choices in German")
        self.assertIn("außerhalb der Europäischen Union", page.text, "the questions explained")
        self.assertNotIn('value="Karim"', page.text, "the stored first name is not shown")

    def test_special_categories_only_with_their_consent(self):
        """Answered without the tick, the special categories are not stored (the form
        comes back asking for the tick); with it, they are, with a dated consent."""
        other_url = self.link(self.other_questionnaire)
        response = self.submit({**ANSWERS, "minority": "yes"}, url=other_url)
        self.assertEqual(response.status_code, 400)
        # Karim speaks German: the request for the tick comes in German.
        self.assertIn("Bitte setzen Sie das Häkchen bei der Einwilligung", response.text)
        self.env.invalidate_all()
        self.assertFalse(self.other_questionnaire.minority)
        self.assertFalse(self.other_questionnaire.gender, "nothing saved")
        response = self.submit(
            {**ANSWERS, "minority": "yes", "special_consent": "1"}, url=other_url
        )
        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        self.assertEqual(self.other_questionnaire.minority, "yes")
        self.assertTrue(self.other_questionnaire.special_consent_date)
        # Ticked again without answers (through a new link: the first ended), the
        # earlier answer stays (it is never shown).
        self.other_questionnaire._send_self_fill_link()
        other_url = self.link(self.other_questionnaire)
        response = self.submit({**ANSWERS, "special_consent": "1"}, url=other_url)
        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        self.assertEqual(self.other_questionnaire.minority, "yes")

    def test_page_shows_the_questionnaire_company(self):
        """In a multi-company database the page (and its 410 page) shows the
        organisation that asks, not the request's default company."""
        other_company = self.env["res.company"].create({"name": "Test Träger Zwei"})
        period = self.env["kommune.funding.period"].create(
            {
                "name": "Test Periode Zwei",
                "date_start": "2031-01-01",
                "date_end": "2031-12-31",
                "company_id": other_company.id,
            }
        )
        person = self.env["res.partner"].create(
            {"name": "Nour Test", "email": "nour@test-q.example.org", "lang": "en_US"}
        )
        questionnaire = self.env["kommune.participant.questionnaire"].create(
            {"partner_id": person.id, "period_id": period.id}
        )
        questionnaire._send_self_fill_link()
        url = self.link(questionnaire)
        page = self.get(url)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Test Träger Zwei", page.text)
        self.assertIn(f"company_logo?company={other_company.id}", page.text)
        self.assertNotIn(self.env.company.name, page.text)
        questionnaire._self_fill_submit({"gender": "female"})
        page = self.get(url)
        self.assertFriendly(page, 410)
        self.assertIn("Test Träger Zwei", page.text)

    def test_person_moved_to_another_company(self):
        """The person's contact moved to another organisation after the link went out:
        the link still answers the questionnaire of the organisation that asked, under
        its name, and shows nothing of the other one."""
        moved_to = self.env["res.company"].create({"name": "Test Träger Neu"})
        self.person.company_id = moved_to
        page = self.get(self.url)
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.env.company.name, page.text)
        self.assertNotIn("Test Träger Neu", page.text)
        self.assertEqual(self.submit(ANSWERS).status_code, 200)
        self.assertEqual(self.stored()["gender"], "female")
        self.assertEqual(self.questionnaire.company_id, self.env.company)

    def test_no_answer_needs_no_consent_and_note_in_staff_language(self):
        """ "No answer" on disability and minority needs no consent tick (it discloses
        nothing); the note for staff is in the organisation's language (German), not
        the person's (English)."""
        self.env.company.partner_id.lang = "de_DE"
        response = self.submit({**ANSWERS, "disability": "no_answer", "minority": "no_answer"})
        self.assertEqual(response.status_code, 200, response.text[-1500:])
        self.env.invalidate_all()
        self.assertEqual(self.questionnaire.minority, "no_answer")
        note = self.questionnaire.message_ids[0]
        self.assertIn("Geschlecht", note.body)
        self.assertNotIn("Gender", note.body)

    def test_special_categories_never_shown_back(self):
        """The link travels by e-mail: whoever holds it must not learn the stored
        disability answer, nor that a consent was given."""
        page = self.get(self.url)
        self.assertEqual(page.status_code, 200)
        self.assertNotRegex(page.text, r'name="disability"[^>]*checked')
        self.assertNotRegex(page.text, r'name="special_consent"[^>]*checked')

    def test_missing_answers_come_back_with_the_form(self):
        # The age group is not answered yet (an answered question may stay empty).
        response = self.submit({**ANSWERS, "age_group": "", "zip": "1"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("Please choose an answer", response.text)
        self.assertIn("Please enter a valid postcode", response.text)
        self.assertFalse(self.written())

    # ------------------------------------------------------------
    # Refused requests
    # ------------------------------------------------------------

    def test_every_bad_link_gets_the_same_page(self):
        questionnaire_id, expiry, signature = self.url.rsplit("/", 1)[1].split("-")
        self.assertBadLinksAlike(
            "/kommune/questionnaire",
            [
                "0-0-" + "0" * 64,
                f"{questionnaire_id}-{expiry}-{'0' * len(signature)}",
                f"{self.other_questionnaire.id}-{expiry}-{signature}",
                f"{questionnaire_id}-{int(expiry) + 1}-{signature}",
                f"999999999-{expiry}-{signature}",
            ],
            hidden=["10115"],
        )
        # Another person's token does not open or write this questionnaire either.
        response = self.url_open(
            f"/kommune/questionnaire/{self.other_questionnaire.id}-{expiry}-{signature}",
            data={"csrf_token": self.csrf(), **ANSWERS},
        )
        self.assertFriendly(response, 404)
        self.env.invalidate_all()
        self.assertFalse(self.other_questionnaire.gender)

    def test_expired_link(self):
        expiry = self.questionnaire.self_fill_expiry
        with freeze_time(expiry.replace(microsecond=0).isoformat(" ")) as frozen:
            frozen.tick(60)
            response = self.get(self.url)
            self.assertFriendly(response, 410, "Links to the questionnaire work for a limited time")
            self.assertNotIn("10115", response.text)

    def test_erased_person(self):
        self.env["kommune.privacy"]._anonymize(self.person)
        response = self.get(self.url)
        self.assertFriendly(response, 404)
        self.assertNotIn("10115", response.text)
        self.assertNotIn("Amal", response.text)

    def test_erased_person_then_a_new_person_with_the_same_address(self):
        """The erased person's link opens nothing of whoever uses their address next:
        the old link stays refused, posting it writes nothing, and the new person's
        own link shows none of the erased person's answers."""
        self.env["kommune.privacy"]._anonymize(self.person)
        newcomer = self.env["res.partner"].create(
            {"name": "Test Neu Gleiche Adresse", "email": "amal@test-q.example.org"}
        )
        questionnaire = self.env["kommune.participant.questionnaire"].create(
            {"partner_id": newcomer.id, "period_id": self.period.id}
        )
        questionnaire._send_self_fill_link()
        self.assertFriendly(self.get(self.url), 404)
        response = self.url_open(
            self.url, data={"csrf_token": self.csrf(self.link(questionnaire)), **ANSWERS}
        )
        self.assertFriendly(response, 404)
        self.env.invalidate_all()
        self.assertFalse(questionnaire.gender)
        self.assertEqual(questionnaire.self_fill_state, "sent")
        page = self.get(self.link(questionnaire))
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("10115", page.text)
        self.assertNotRegex(page.text, r'name="disability"[^>]*checked')

    def test_fuzz(self):
        """Whatever a script sends: the friendly 400 page, never a traceback."""
        for data in (
            {"gender": "robot"},
            {"gender": "female\x00"},
            {"disability": "maybe", "special_consent": "1"},
            {"last_name": "Had\x00dad"},
            {"first_name": "x" * 1000},
            {"zip": "<script>"},
        ):
            with self.subTest(data=repr(data)[:40]):
                response = self.submit({**ANSWERS, **data})
                self.assertEqual(response.status_code, 400, response.text[:300])
                self.assertIn("o_kommune_invitation", response.text)
                self.assertNotIn("Traceback", response.text)
        self.assertFalse(self.written())

    def test_rate_limit_per_link(self):
        with self.one_window():
            token = self.csrf()
            for _attempt in range(TOKEN_POST_LIMIT):
                response = self.url_open(self.url, data={"csrf_token": token, "gender": "x"})
                self.assertEqual(response.status_code, 400)
            self.assertFriendly(self.url_open(self.url, data={"csrf_token": token, **ANSWERS}), 429)
            self.assertFalse(self.written())
            # Another person's link is not affected.
            other = self.link(self.other_questionnaire)
            response = self.url_open(other, data={"csrf_token": token, **ANSWERS})
            self.assertEqual(response.status_code, 200)

    def test_page_query_count(self):
        """The page costs a fixed number of queries (the rate limit, the link, the
        answers), not one per question or choice."""
        self.get(self.url)
        with self.assertQueryCount(8):
            self.assertEqual(self.get(self.url).status_code, 200)


@tagged("post_install", "-at_install")
class TestQuestionnaireTour(PublicPagesCommon, KommuneTourCase):
    """The participant's browser: the form works without any help from staff."""

    def test_participant_tour(self):
        self.env["res.lang"]._activate_lang("en_US")
        self.env["kommune.funding.period"].search([]).action_archive()
        period = self.env["kommune.funding.period"].create(
            {"name": "Test Periode Tour", "date_start": "2031-01-01", "date_end": "2031-12-31"}
        )
        person = self.env["res.partner"].create(
            {"name": "Amal Tour", "email": "amal.tour@test-q.example.org", "lang": "en_US"}
        )
        questionnaire = self.env["kommune.participant.questionnaire"].create(
            {"partner_id": person.id, "period_id": period.id}
        )
        questionnaire._send_self_fill_link()
        url = f"/kommune/questionnaire/{questionnaire._get_self_fill_token()}"
        self.start_tour(url, "kommune_questionnaire_tour")
        self.assertEqual(
            (questionnaire.zip, questionnaire.gender, questionnaire.self_fill_state),
            ("10999", "female", "filled"),
        )
        self.assertTrue(questionnaire.is_complete)
