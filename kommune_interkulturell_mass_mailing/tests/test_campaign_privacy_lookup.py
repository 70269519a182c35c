import base64
import json

from odoo.addons.kommune_interkulturell.tests import test_privacy_lookup
from odoo.tests import tagged

from ..wizard.privacy_lookup_wizard import PERSONAL_LINK_PATTERNS

CLICK_IP = "203.0.113.7"


# The app's tests once more (imported through their module: only this class runs here),
# with a campaign that reached the person.
@tagged("post_install", "-at_install")
class TestCampaignPrivacyLookup(test_privacy_lookup.TestPrivacyLookup):
    """What mass mailing holds of a person in the privacy lookup, the subject access and
    the erasure: mailing traces, personal links in link trackers, the clicks on them and
    from the person's mails with the visitor's IP address."""

    @classmethod
    def make_app_traces(cls, person):
        """An invitation mailing that reached ``person``: their trace, a tracked personal
        link (as campaigns made them before personal links stayed out of the shortener)
        and a tracked link to the network's site, both clicked from their mail."""
        env = cls.env
        mailing = env["mailing.mailing"].create(
            {
                "subject": "Test Einladung Datenschutz",
                "mailing_model_id": env["ir.model"]._get_id("res.partner"),
                "mailing_domain": repr([("id", "=", person.id)]),
                "training_id": cls.training.id,
            }
        )
        trace = env["mailing.trace"].create(
            {
                "mass_mailing_id": mailing.id,
                "model": "res.partner",
                "res_id": person.id,
                "email": person.email_normalized,
                "message_id": "<test-datenschutz-1@example.org>",
                "trace_status": "sent",
            }
        )
        Tracker = env["link.tracker"]
        personal = Tracker.create(
            {
                "url": cls.training._get_invitation_url(person, mailing),
                "title": "Persönlicher Link",
                "mass_mailing_id": mailing.id,
            }
        )
        site = Tracker.create(
            {
                "url": f"https://www.example.org/netzwerk?mailing={mailing.id}",
                "title": "Netzwerk",
                "mass_mailing_id": mailing.id,
            }
        )
        Click = env["link.tracker.click"]
        clicks = Click.add_click(
            personal.code, ip=CLICK_IP, mailing_trace_id=trace.id
        ) | Click.add_click(site.code, ip=CLICK_IP, mailing_trace_id=trace.id)
        return {
            "mailing": mailing,
            "trace": trace,
            "personal_link": personal,
            "site_link": site,
            "clicks": clicks,
        }

    def app_counts(self):
        mailing = self.app_traces["mailing"]
        return {
            "traces": self.env["mailing.trace"]._read_group(
                [("mass_mailing_id", "=", mailing.id)], ["trace_status"], ["__count"]
            ),
            "mailing": mailing.read(["sent", "opened", "clicked"])[0],
            "site_clicks": self.app_traces["site_link"].count,
        }

    def logged_models(self):
        return super().logged_models() + ["mailing.trace", "link.tracker"]

    def protected_models(self):
        return super().protected_models() | {"mailing.trace"}

    def test_lookup_finds_links_and_clicks(self):
        campaign = self.app_traces
        # A confirmation link of a sign-up, tracked before personal links stayed out of
        # the shortener; every kind of personal link is looked up.
        confirmation = self.env["link.tracker"].create(
            {"url": self.traces["photo"]._get_confirmation_url(), "title": "Bestätigung"}
        )
        for path in self.env["ir.http"]._get_kommune_personal_link_paths():
            with self.subTest(path=path):
                self.assertTrue(
                    [pattern for pattern, _model in PERSONAL_LINK_PATTERNS if path in pattern]
                )
        found = self.found(self.lookup())
        expected = {
            ("mailing.trace", campaign["trace"].id),
            ("link.tracker", campaign["personal_link"].id),
            ("link.tracker", confirmation.id),
        } | {("link.tracker.click", click.id) for click in campaign["clicks"]}
        self.assertLessEqual(expected, found)
        self.assertNotIn(("link.tracker", campaign["site_link"].id), found, "not personal")

    def test_lookup_finds_questionnaire_links(self):
        """A tracker holding the person's questionnaire link is theirs."""
        period = self.env["kommune.funding.period"].create(
            {"name": "Test Periode 2090", "date_start": "2090-01-01", "date_end": "2090-12-31"}
        )
        questionnaire = self.env["kommune.participant.questionnaire"].create(
            {"partner_id": self.person.id, "period_id": period.id}
        )
        questionnaire._send_self_fill_link()
        tracker = self.env["link.tracker"].create(
            {"url": questionnaire._get_self_fill_url(), "title": "Fragebogen"}
        )
        self.assertIn(("link.tracker", tracker.id), self.found(self.lookup()))

    def test_erasure_of_traces_links_and_clicks(self):
        before = self.counts()
        self.erase()
        self.assertEqual(self.counts(), before, "each campaign's counts stay")
        campaign = self.app_traces
        self.assertFalse(campaign["personal_link"].exists(), "the personal link is gone")
        self.assertFalse(campaign["trace"].email)
        self.assertFalse(campaign["trace"].message_id)
        self.assertEqual(campaign["trace"].trace_status, "open", "clicked, counted")
        site_click = campaign["clicks"].exists()
        self.assertEqual(site_click.link_id, campaign["site_link"])
        self.assertFalse(site_click.ip, "the click counts, its address is gone")
        self.assertFalse(
            self.env["link.tracker"].search([("url", "like", f"-{self.person.id}-")]),
            "no tracker holds a personal link of the person",
        )

    def test_lookup_deletes_the_personal_link_but_keeps_the_trace(self):
        lines = self.lookup().line_ids.with_user(self.admin)
        lines.action_unlink_all()
        self.assertFalse(self.app_traces["personal_link"].exists(), "other lines are deleted")
        self.assertTrue(self.app_traces["trace"].exists())

    def erasable_values(self):
        # The trace's address.
        return [*super().erasable_values(), self.app_traces["trace"].email]

    def test_subject_access_lists_traces_links_and_clicks(self):
        wizard = (
            self.env["kommune.personal.data.export"]
            .with_user(self.manager)
            .create({"partner_id": self.person.id})
        )
        data = json.loads(base64.b64decode(wizard.json_file))["data"]
        (trace,) = data["mailing_traces"]
        self.assertEqual(trace["email"], self.person.email_normalized)
        self.assertEqual({click["ip"] for click in data["link_clicks"]}, {CLICK_IP})
        self.assertEqual(len(data["link_clicks"]), 2)
        (link,) = data["personal_links"]
        self.assertIn("/kommune/invitation/", link["url"])
