from odoo.addons.kommune_interkulturell.tests.common_smtp import real_smtp
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common_campaign import KommuneCampaignCommon


@tagged("post_install", "-at_install")
class TestCampaignAccessRights(KommuneCampaignCommon):
    """A User does the daily work of campaigns; taking an opt-out back and the throttle
    are a Manager's and an administrator's."""

    def sent_campaign(self):
        """The user's campaign to the Arabic-speaking organisation's volunteers, sent."""
        wizard = self.invite_form(user=self.user, role_volunteer=True)
        wizard.organization_ids.add(self.mo_arabic)
        wizard = wizard.save()
        campaign = self.env["utm.campaign"].browse(wizard.action_create_campaign()["res_id"])
        campaign.with_user(self.user).action_send_invitations()
        with real_smtp(self.env):
            campaign.mailing_mail_ids.action_send_mail()
        return campaign

    def test_user_runs_a_campaign(self):
        form = self.invite_form(user=self.user, role_volunteer=True, audience_name="Test Nutzerin")
        form.organization_ids.add(self.mo_arabic)
        wizard = form.save()
        self.assertEqual(wizard.recipient_count, 2)
        wizard.action_save_audience()
        self.assertEqual(wizard.mailing_filter_id.create_uid, self.user)
        campaign = self.env["utm.campaign"].browse(wizard.action_create_campaign()["res_id"])
        campaign = campaign.with_user(self.user)
        self.assertEqual(campaign.user_id, self.user)
        mailing = campaign.mailing_mail_ids[:1]
        mailing.write({"subject": "Test Einladung, überarbeitet"})
        campaign.action_send_invitations()
        with real_smtp(self.env):
            campaign.mailing_mail_ids.action_send_mail()
        self.assertEqual(campaign.mailing_sent_count, 2)
        self.assertEqual(campaign.training_registration_count, 0)
        self.assertEqual(self.training.with_user(self.user).campaign_count, 1)
        # She records that somebody does not want invitations any more.
        self.nadi_fulltime.with_user(self.user).invitation_opt_out = True
        self.assertTrue(self.nadi_fulltime.invitation_opt_out)

    def test_only_managers_take_an_opt_out_back(self):
        """Only the person's new consent ends an opt-out, recorded by a manager."""
        for user in (self.user, self.manager):
            with self.subTest(user=user.login), self.assertRaisesRegex(UserError, "new consent"):
                self.opted_out.with_user(user).write({"invitation_opt_out": False})
        self.assertTrue(self.opted_out.invitation_opt_out)
        Consent = self.env["kommune.consent"]
        new_consent = {"partner_id": self.opted_out.id, "purpose_id": self.purpose_invitation.id}
        with self.assertRaisesRegex(AccessError, "Only a manager"):
            Consent.with_user(self.user).create(new_consent)
        self.assertTrue(self.opted_out.invitation_opt_out)
        # Other changes to the person stay open to users.
        self.opted_out.with_user(self.user).write({"phone": "030 555"})
        Consent.with_user(self.manager).create(new_consent)
        self.assertFalse(self.opted_out.invitation_opt_out)

    def test_throttle_is_for_administrators(self):
        for user in (self.user, self.manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["res.config.settings"].with_user(user).create(
                    {"kommune_mail_throttle_per_minute": 1}
                )

    def test_employees_outside_the_project_do_not_see_campaigns(self):
        employee = new_test_user(self.env, login="ki_campaign_employee", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.env["kommune.campaign.invite"].with_user(employee).create(
                {"training_id": self.training.id}
            )
        with self.assertRaises(AccessError):
            self.env["mailing.mailing"].with_user(employee).search([])

    def test_campaigns_stay_in_the_training_company(self):
        """A campaign names whom a company invited (its mailings' traces hold their
        addresses, clicks the visitors' IP addresses): the project users of another
        company do not read it, nor its mailings, traces, link trackers and clicks."""
        campaign = self.sent_campaign()
        mailings = campaign.mailing_mail_ids
        traces = self.env["mailing.trace"].search([("mass_mailing_id", "in", mailings.ids)])
        self.assertTrue(traces)
        link = self.env["link.tracker"].create(
            {"url": "https://example.org/programm", "mass_mailing_id": mailings[0].id}
        )
        click = self.env["link.tracker.click"].create(
            {"link_id": link.id, "mass_mailing_id": mailings[0].id, "ip": "192.0.2.7"}
        )
        other_company = self.env["res.company"].create({"name": "Test Anderes Projekt"})
        stranger = new_test_user(
            self.env,
            login="ki_campaign_other_company",
            groups="kommune_interkulturell.group_kommune_user",
            company_id=other_company.id,
            company_ids=[(6, 0, other_company.ids)],
        )
        for records in (campaign, mailings, traces, link, click):
            with self.subTest(model=records._name):
                Model = self.env[records._name].with_user(stranger)
                self.assertFalse(Model.search([("id", "in", records.ids)]))
                with self.assertRaises(AccessError):
                    records.with_user(stranger).read(["id"])
                self.assertEqual(
                    self.env[records._name]
                    .with_user(self.user)
                    .search([("id", "in", records.ids)]),
                    records,
                    "the training's company reads it",
                )

    def test_only_managers_delete_sent_invitations(self):
        """The traces of a training's mailings are the campaign's statistics for the
        funders: a user sends campaigns but deletes neither a sent mailing (its traces
        go with it) nor its traces; a manager may. A mailing not sent yet is the user's
        to delete."""
        campaign = self.sent_campaign()
        mailing = campaign.mailing_mail_ids.filtered("mailing_trace_ids")[:1]
        traces = mailing.mailing_trace_ids
        self.assertTrue(traces)
        with self.assertRaises(UserError):
            traces[:1].with_user(self.user).unlink()
        with self.assertRaises(UserError):
            mailing.with_user(self.user).unlink()
        self.assertEqual(traces.exists(), traces)
        draft = mailing.copy()
        draft.with_user(self.user).unlink()
        self.assertFalse(draft.exists())
        mailing.with_user(self.manager).unlink()
        self.assertFalse(traces.exists())

    def test_company_rules_leave_odoos_loading_alone(self):
        """Odoo loads mass mailing, link tracker and utm before this bridge, and runs
        their at_install tests there, on a database that has the bridge's rules but
        not yet its fields: a global rule naming training_id would fail every access
        of their users. The bridge's rules on these apps' models apply to the
        project's users only (Odoo's own tests of mass mailing caught it)."""
        rules = self.env["ir.rule"].search(
            [
                (
                    "model_id.model",
                    "in",
                    [
                        "utm.campaign",
                        "mailing.mailing",
                        "mailing.trace",
                        "link.tracker",
                        "link.tracker.click",
                    ],
                )
            ]
        )
        ours = rules.filtered(lambda rule: "training_id" in rule.domain_force)
        self.assertEqual(len(ours), 5)
        project_users = self.env.ref("kommune_interkulturell.group_kommune_user")
        for rule in ours:
            with self.subTest(rule=rule.name):
                self.assertEqual(rule.groups, project_users)

    def test_links_of_no_mailing_stay_as_odoo_has_them(self):
        """Links and clicks of no mailing (shortened in a mail or SMS, made in the Link
        Tracker) belong to no training: every user sees them as before, and shortening
        the same link again finds its tracker instead of making another."""
        url = "https://example.org/flyer-ohne-mailing"
        link = self.env["link.tracker"].create({"url": url})
        click = self.env["link.tracker.click"].create({"link_id": link.id, "ip": "192.0.2.8"})
        for user in (self.user, self.env.ref("base.user_admin")):
            with self.subTest(user=user.login):
                LinkTracker = self.env["link.tracker"].with_user(user)
                self.assertEqual(LinkTracker.search([("id", "=", link.id)]), link)
                self.assertEqual(LinkTracker.search_or_create([{"url": url}]), link)
                self.assertEqual(
                    self.env["link.tracker.click"].with_user(user).search([("id", "=", click.id)]),
                    click,
                )
