import re

from markupsafe import Markup

from odoo.addons.kommune_interkulturell.controllers.kommune_public import PUBLIC_PATH_PREFIX
from odoo.addons.kommune_interkulturell.tests.common_smtp import real_smtp
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common_campaign import KommuneCampaignCommon

HREF_RE = re.compile(r'href="([^"]+)"')
# The signed personal links: the registration page (and its forms), the confirmation
# of a sign-up. Written out here, not taken from the addon, which they check.
PERSONAL_PATH_RE = re.compile(r"/kommune/(invitation|subscribe/confirm)/")
PROGRAMME_URL = "https://www.example.org/programm"


@tagged("post_install", "-at_install")
class TestCampaignMailing(KommuneCampaignCommon):
    """The campaign a wizard creates: real Odoo mailings on persons, one per language
    under one UTM campaign, whose recipients are the wizard's preview; every mail
    carries the recipient's personal registration link; opt-outs are respected by any
    mailing on contacts."""

    def create_campaign(self, **values):
        form = self.invite_form(**values)
        form.organization_ids.add(self.mo_arabic)
        form.organization_ids.add(self.mo_vietnamese)
        wizard = form.save()
        action = wizard.action_create_campaign()
        campaign = self.env["utm.campaign"].browse(action["res_id"])
        return wizard, campaign

    def mailing_recipients(self, mailing):
        return self.env["res.partner"].browse(mailing._get_recipients())

    def test_campaign_per_language_equals_preview(self):
        wizard, campaign = self.create_campaign()
        self.assertEqual(campaign.training_id, self.training)
        self.assertIn("Test Fördermittel beantragen", campaign.title)
        mailings = campaign.mailing_mail_ids
        self.assertEqual(sorted(mailings.mapped("campaign_lang")), ["de_DE", "en_US"])
        self.assertEqual(set(mailings.mapped("state")), {"draft"})
        self.assertEqual(mailings.training_id, self.training)
        self.assertEqual(mailings.mailing_model_id.model, "res.partner")
        german, english = mailings.sorted("campaign_lang")
        preview = self.env["res.partner"].search(wizard._get_recipient_domain())
        self.assertEqual(len(preview), wizard.recipient_count)
        self.assertEqual(
            self.mailing_recipients(german) | self.mailing_recipients(english), preview
        )
        self.assertFalse(self.mailing_recipients(german) & self.mailing_recipients(english))
        self.assertEqual(self.mailing_recipients(english), self.nadi_volunteer | self.song_manager)
        self.assertEqual(
            self.mailing_recipients(german),
            self.nadi_fulltime | self.nadi_manager | self.song_volunteer | self.cancelled,
        )
        # The texts are in each language; dates are localized too.
        self.assertEqual(german.subject, "Einladung: Test Fördermittel beantragen")
        self.assertEqual(english.subject, "Invitation: Test Fördermittel beantragen")
        self.assertIn("Montag, 3. März 2031", german.body_html)
        self.assertIn("Monday, March 3, 2031", english.body_html)
        self.assertIn("/unsubscribe_from_list", german.body_html)

    def test_online_link_is_not_in_the_invitation(self):
        """A campaign invites people who hold no seat, and its mails are forwarded: the
        dates come without the video conference of an online training (the
        confirmation brings it)."""
        online = "https://meet.example.org/kommune-geheim"
        self.training.write({"venue_id": False, "online_url": online})
        self.training.session_ids.write({"location": False, "videocall_location": online})
        _wizard, campaign = self.create_campaign()
        for mailing in campaign.mailing_mail_ids:
            self.assertIn("2031", mailing.body_html, "the dates are there")
            self.assertNotIn(online, mailing.body_html)

    def test_only_german_when_english_is_not_chosen(self):
        _wizard, campaign = self.create_campaign(lang_ids=self.env["res.lang"]._lang_get("de_DE"))
        (german,) = campaign.mailing_mail_ids
        self.assertIn(self.nadi_volunteer, self.mailing_recipients(german))

    def test_no_mailing_for_a_language_nobody_speaks(self):
        form = self.invite_form()
        form.organization_ids.add(self.jobcenter)
        campaign = self.env["utm.campaign"].browse(form.save().action_create_campaign()["res_id"])
        self.assertEqual(campaign.mailing_mail_ids.mapped("campaign_lang"), ["de_DE"])

    def test_nobody_to_invite(self):
        form = self.invite_form()
        form.organization_ids.add(self.mo_silent)
        with self.assertRaisesRegex(UserError, "Nobody in this audience"):
            form.save().action_create_campaign()

    def test_sent_mails_carry_personal_links(self):
        """Sent for real (to a local SMTP server): each mail has the recipient's name and
        their own link, signed for them, the training and the mailing, as it is: never
        behind one of the link tracker's short codes (/r/<code>, a few characters that
        can be guessed). Other links of the mail are tracked as usual; the unsubscribe
        link is Odoo's personal one."""
        _wizard, campaign = self.create_campaign()
        german = campaign.mailing_mail_ids.filtered(
            lambda mailing: mailing.campaign_lang == "de_DE"
        )
        german.body_html += Markup('<p><a href="%s">Das Programm</a></p>') % PROGRAMME_URL
        last_tracker = self.env["link.tracker"].search([], order="id desc", limit=1)
        with real_smtp(self.env) as sink:
            german.action_send_mail()
        traces = german.mailing_trace_ids
        self.assertEqual(len(traces), 4)
        self.assertEqual(set(traces.mapped("trace_status")), {"sent"})
        self.assertEqual(german.state, "done")
        self.assertEqual(len(sink.messages), 4)

        trackers = self.env["link.tracker"].search([("id", ">", last_tracker.id or 0)])
        self.assertFalse(
            [url for url in trackers.mapped("url") if PERSONAL_PATH_RE.search(url)],
            "no personal link behind a short code",
        )
        Training = self.env["kommune.training"]
        invited = self.env["res.partner"]
        for recipients, message in sink.messages:
            body = message.get_body(("html",)).get_content()
            (personal_url,) = {url for url in HREF_RE.findall(body) if "/kommune/" in url}
            training, partner, mailing = Training._get_invitation_from_token(
                re.fullmatch(r"https?://[^/]+/kommune/invitation/([^/?#]+)", personal_url)[1]
            )
            self.assertEqual((training, mailing), (self.training, german))
            self.assertEqual(recipients, [partner.email_normalized])
            # The other link is Odoo's tracked one, with the recipient's trace.
            (short_url,) = set(re.findall(r"https?://[^\"']+/r/\w+/m/\d+", body))
            code, trace_id = re.search(r"/r/(\w+)/m/(\d+)", short_url).groups()
            tracker = trackers.filtered(lambda tracker, code=code: tracker.code == code)
            self.assertEqual(tracker.url, PROGRAMME_URL)
            self.assertEqual(tracker.mass_mailing_id, german)
            self.assertEqual(
                int(trace_id), traces.filtered(lambda t, p=partner: t.res_id == p.id).id
            )
            self.assertIn(f"Hallo {partner.name},", body)
            self.assertIn(f"/mailing/{german.id}/confirm_unsubscribe?", body)
            invited |= partner
        self.assertEqual(invited, self.mailing_recipients(german))

    def test_personal_links_are_never_shortened(self):
        """Whatever Odoo shortens - a mailing's HTML, its text version (SMS), with or
        without a blacklist of the caller's - keeps every signed personal link as it
        is: the registration page and its forms, the confirmation of a sign-up.
        Other links, including the addon's other public pages, are shortened."""
        invitation = self.training._get_invitation_url(self.nadi_fulltime)
        consent = self.env["kommune.consent"].search(
            [("partner_id", "=", self.nadi_manager.id)], limit=1
        )
        personal = [
            invitation,
            invitation.replace(self.training.get_base_url(), ""),  # relative
            f"{invitation}/register",
            f"{invitation}/cancel",
            f"{invitation}?utm_source=newsletter",
            consent._get_confirmation_url(),
        ]
        # In HTML, the whole address counts: a redirect holding a personal link too.
        personal_html = [*personal, f"https://partner.example.org/weiter?to={invitation}"]
        others = [PROGRAMME_URL, f"{self.training.get_base_url()}/kommune/subscribe"]
        html = "".join(f'<p><a href="{url}">Link</a></p>' for url in (*personal_html, *others))
        text = " ".join((*personal, *others))
        Render = self.env["mail.render.mixin"]
        Tracker = self.env["link.tracker"]
        last_tracker = Tracker.search([], order="id desc", limit=1)
        for blacklist in (None, ["/unsubscribe_from_list", "/view", "/cards"]):
            hrefs = HREF_RE.findall(Render._shorten_links(html, {}, blacklist=blacklist))
            self.assertEqual(hrefs[: len(personal_html)], personal_html)
            self.assertEqual(len(hrefs), len(personal_html) + len(others))
            for href in hrefs[len(personal_html) :]:
                self.assertRegex(href, r"/r/\w+$")
            shortened = Render._shorten_links_text(text, {}, blacklist=blacklist).split(" ")
            self.assertEqual(shortened[: len(personal)], personal)
            for url in shortened[len(personal) :]:
                self.assertRegex(url, r"/r/\w+$")
        trackers = Tracker.search([("id", ">", last_tracker.id or 0)])
        self.assertEqual(sorted(set(trackers.mapped("url"))), sorted(others))

    def test_every_personal_route_is_kept_from_the_shortener(self):
        """A public page of the addon opened with a token in its path is a personal
        link: one added later without its path among the personal ones fails here."""
        base_url = self.training.get_base_url()
        urls = []
        IrHttp = self.env["ir.http"]
        for path, endpoint in IrHttp._generate_routing_rules(
            self.env.registry._init_modules, IrHttp._get_converters()
        ):
            if (
                path.startswith(PUBLIC_PATH_PREFIX)
                and endpoint.routing["auth"] in ("public", "none")
                and re.search(r"<[^>]*token>", path)
            ):
                urls.append(base_url + re.sub(r"<[^>]+>", "1-2-3-abcdef", path))
        self.assertGreaterEqual(len(urls), 4, "registration page, register, cancel, confirm")
        html = "".join(f'<p><a href="{url}">Link</a></p>' for url in urls)
        self.assertEqual(
            HREF_RE.findall(self.env["mail.render.mixin"]._shorten_links(html, {})), urls
        )

    def test_test_mail_links_to_the_preview(self):
        """A test mail renders for some contact: it must not carry their personal link."""
        _wizard, campaign = self.create_campaign()
        mailing = campaign.mailing_mail_ids[:1]
        body = mailing._render_field("body_html", self.nadi_fulltime.ids)[self.nadi_fulltime.id]
        self.assertIn(f"/kommune/invitation/preview/{self.training.id}", body)
        self.assertNotIn(f"/kommune/invitation/{self.training.id}-", body)
        self.assertIn("Hallo Test Rana Fulltime,", body)

    def test_staff_edit_their_campaign(self):
        """Mail templates with code are for template editors only (Odoo's default); the
        campaign's dynamic parts are whitelisted expressions, so staff edit the text."""
        self.assertFalse(self.user.has_group("mail.group_mail_template_editor"))
        _wizard, campaign = self.create_campaign()
        mailing = campaign.mailing_mail_ids[:1].with_user(self.user)
        self.assertIn('<t t-out="object.training_invitation_link"', mailing.body_html)
        mailing.write({"body_html": mailing.body_html.replace("Hallo", "Liebe*r")})
        self.assertIn("Liebe*r", mailing.body_html)
        # Arbitrary code stays an editor's.
        with self.assertRaises(AccessError):
            mailing.write({"body_html": '<p t-out="object.sudo().email">x</p>'})

    def test_opt_out_cancels_traces_of_any_mailing_on_contacts(self):
        """Odoo's hook: opted-out addresses are cancelled as opt-out in every mailing on
        contacts, also one made by hand in Email Marketing."""
        mailing = self.env["mailing.mailing"].create(
            {
                "subject": "Test Newsletter",
                "body_html": "<p>Hallo</p>",
                "mailing_model_id": self.env["ir.model"]._get_id("res.partner"),
                "mailing_domain": repr([("id", "in", (self.opted_out | self.nadi_fulltime).ids)]),
                "email_from": "netzwerk@test-campaign.example.org",
            }
        )
        with real_smtp(self.env):
            mailing.action_send_mail()
        status = {
            trace.res_id: (trace.trace_status, trace.failure_type)
            for trace in mailing.mailing_trace_ids
        }
        self.assertEqual(status[self.opted_out.id], ("cancel", "mail_optout"))
        self.assertEqual(status[self.nadi_fulltime.id][0], "sent")
        # Another contact with the same address is not mailed either.
        twin = self.opted_out.copy({"name": "Test Olga Zweitkontakt"})
        self.assertIn(
            twin.email_normalized, self.env["res.partner"]._mailing_get_opt_out_list(mailing)
        )

    def test_opt_out_is_dated_and_tracked(self):
        self.nadi_fulltime.invitation_opt_out = True
        self.assertTrue(self.nadi_fulltime.invitation_opt_out_date)
        self.env["kommune.consent"].with_user(self.manager).create(
            {"partner_id": self.nadi_fulltime.id, "purpose_id": self.purpose_invitation.id}
        )
        self.assertFalse(self.nadi_fulltime.invitation_opt_out)
        self.assertFalse(self.nadi_fulltime.invitation_opt_out_date)

    def test_campaign_of_a_cancelled_training(self):
        self.training.action_cancel()
        with self.assertRaisesRegex(UserError, "called off"):
            self.create_campaign()
