from datetime import datetime, timedelta

from odoo.tests import freeze_time, tagged

from .common_campaign import KommuneCampaignCommon


@tagged("post_install", "-at_install")
class TestCampaignToken(KommuneCampaignCommon):
    """Personal registration links: signed for one person, training and mailing,
    unguessable, valid while the training takes registrations or cancellations."""

    def setUp(self):
        super().setUp()
        self.Training = self.env["kommune.training"]
        self.mailing = self.env["mailing.mailing"].create(
            {
                "subject": "Test Einladung",
                "body_html": "<p>Hallo</p>",
                "mailing_model_id": self.env["ir.model"]._get_id("res.partner"),
                "email_from": "netzwerk@test-campaign.example.org",
                "training_id": self.training.id,
            }
        )

    def test_token_round_trip(self):
        token = self.training._get_invitation_token(self.nadi_fulltime, self.mailing)
        self.assertEqual(
            self.Training._get_invitation_from_token(token),
            (self.training, self.nadi_fulltime, self.mailing),
        )
        self.assertTrue(
            self.training._get_invitation_url(self.nadi_fulltime).endswith(
                "/kommune/invitation/" + self.training._get_invitation_token(self.nadi_fulltime)
            )
        )
        without_mailing = self.training._get_invitation_token(self.nadi_fulltime)
        self.assertEqual(
            self.Training._get_invitation_from_token(without_mailing)[2], self.mailing.browse()
        )

    def test_tokens_differ_per_person_training_and_mailing(self):
        tokens = {
            self.training._get_invitation_token(self.nadi_fulltime, self.mailing),
            self.training._get_invitation_token(self.nadi_manager, self.mailing),
            self.training._get_invitation_token(self.nadi_fulltime),
            self.training.copy()._get_invitation_token(self.nadi_fulltime, self.mailing),
        }
        self.assertEqual(len(tokens), 4)
        signature = next(iter(tokens)).rsplit("-", 1)[1]
        self.assertRegex(signature, r"^[0-9a-f]{64}$", "a 256-bit HMAC")

    def test_bad_and_foreign_tokens(self):
        token = self.training._get_invitation_token(self.nadi_fulltime, self.mailing)
        training_id, partner_id, mailing_id, signature = token.split("-")
        other = self.training.copy()
        flipped = signature[:-1] + ("0" if signature[-1] != "0" else "1")
        for bad in (
            "",
            "abc",
            None,
            42,
            token + "0",
            token.upper(),
            f"{training_id}-{partner_id}-{mailing_id}-{flipped}",
            # the same signature moved to another person, training or mailing
            f"{training_id}-{self.nadi_manager.id}-{mailing_id}-{signature}",
            f"{other.id}-{partner_id}-{mailing_id}-{signature}",
            f"{training_id}-{partner_id}-0-{signature}",
            "1-1-1-" + "0" * 64,
            "9" * 2000,
        ):
            with self.subTest(token=bad):
                self.assertIsNone(self.Training._get_invitation_from_token(bad))

    def test_token_of_a_deleted_or_archived_person(self):
        token = self.training._get_invitation_token(self.nadi_fulltime)
        self.nadi_fulltime.active = False
        self.assertIsNone(self.Training._get_invitation_from_token(token))

    def test_token_of_an_archived_training_and_mailing(self):
        """Archived, not deleted: the link still names the training and the mailing
        (whether it still opens a form is the page's decision)."""
        token = self.training._get_invitation_token(self.nadi_fulltime, self.mailing)
        self.training.active = False
        self.mailing.active = False
        training, partner, mailing = self.Training._get_invitation_from_token(token)
        self.assertEqual(
            (training, partner, mailing), (self.training, self.nadi_fulltime, self.mailing)
        )
        self.assertFalse(training.active)

    def test_mailing_of_another_training_is_not_recorded(self):
        other = self.training.copy()
        token = other._get_invitation_token(self.nadi_fulltime, self.mailing)
        self.assertEqual(
            self.Training._get_invitation_from_token(token),
            (other, self.nadi_fulltime, self.mailing.browse()),
        )

    def test_registration_deadline_and_cancellation_cut_off(self):
        first_start = datetime(2031, 3, 3, 8, 0)
        self.assertEqual(self.training.date_begin, first_start)
        self.assertEqual(self.training.date_registration_close, first_start, "default: the start")
        self.assertEqual(self.training.cancel_deadline_days, 2)
        self.assertEqual(self.training._get_cancel_deadline(), first_start - timedelta(days=2))
        with freeze_time(first_start - timedelta(days=2, minutes=1)):
            self.assertTrue(self.training._is_registration_open())
            self.assertTrue(self.training._can_cancel_online())
        with freeze_time(first_start - timedelta(days=1)):
            self.assertTrue(self.training._is_registration_open())
            self.assertFalse(self.training._can_cancel_online())
        with freeze_time(first_start):
            self.assertFalse(self.training._is_registration_open())

        self.training.write(
            {"registration_deadline": datetime(2031, 2, 1), "cancel_deadline_days": 0}
        )
        self.assertEqual(self.training.date_registration_close, datetime(2031, 2, 1))
        with freeze_time(datetime(2031, 2, 2)):
            self.assertFalse(self.training._is_registration_open())
            self.assertTrue(self.training._can_cancel_online())

    def test_no_registration_on_cancelled_training(self):
        self.training.action_cancel()
        self.assertFalse(self.training._is_registration_open())
        self.assertFalse(self.training._can_cancel_online())
