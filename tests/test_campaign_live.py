"""An invitation campaign end to end, on a real server process with a real SMTP server:
50 persons get 50 mails with 50 different personal links; one of them follows her link
and registers with the form, over plain HTTP; she gets the confirmation by mail."""

import re
import uuid

import pytest

from .conftest import LiveServer, open_training
from .test_live_rpc import xmlid

PERSONS = 50
SHORT_LINK_RE = re.compile(r'href="(http://127\.0\.0\.1:\d+/r/\w+/m/\d+)"')
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
REGISTER_RE = re.compile(r'action="(/kommune/invitation/[^"/]+/register)"')


@pytest.fixture
def campaign_server(smtp_sink):
    server = LiveServer(smtp_port=smtp_sink.port).wait_ready().use_own_url()
    yield server
    server.stop()


def test_campaign_to_fifty_persons(campaign_server, smtp_sink):
    import requests

    server, sink = campaign_server, smtp_sink
    admin = server.rpc()
    tag = uuid.uuid4().hex[:8]
    organization = admin(
        "res.partner",
        "create",
        [
            {
                "name": f"Live MO {tag}",
                "is_company": True,
                "organization_type_id": xmlid(admin, "kommune_interkulturell.organization_type_mo"),
            }
        ],
    )
    person_ids = admin(
        "res.partner",
        "create",
        [
            [
                {
                    "name": f"Live Person {tag} {index:02d}",
                    "parent_id": organization,
                    "email": f"live.{tag}.{index:02d}@example.org",
                    "lang": "de_DE",
                }
                for index in range(PERSONS)
            ]
        ],
    )
    # They agreed to receive the network's invitations (campaigns need it).
    purpose = xmlid(admin, "kommune_interkulturell.consent_purpose_invitation")
    admin(
        "kommune.consent",
        "create",
        [[{"partner_id": person, "purpose_id": purpose} for person in person_ids]],
    )
    training = open_training(admin, f"Live Schulung {tag}", 10)

    # The Invite wizard with the organisation's people as audience, then the campaign.
    wizard = admin(
        "kommune.campaign.invite",
        "create",
        [{"training_id": training, "organization_ids": [(6, 0, [organization])]}],
    )
    (preview,) = admin("kommune.campaign.invite", "read", [[wizard], ["recipient_count"]])
    assert preview["recipient_count"] == PERSONS
    campaign = admin("kommune.campaign.invite", "action_create_campaign", [[wizard]])["res_id"]
    mailings = admin("mailing.mailing", "search", [[("campaign_id", "=", campaign)]])
    assert len(mailings) == 1, "everybody reads German: one mailing"
    admin("mailing.mailing", "action_send_mail", [mailings])

    # 50 mails, one per person, each with its own (tracked) registration link.
    emails = {f"live.{tag}.{index:02d}@example.org" for index in range(PERSONS)}
    links = {}
    for recipients, message in sink.messages:
        if recipients[0] in emails:
            body = message.get_body(("html",)).get_content()
            (link,) = set(SHORT_LINK_RE.findall(body))
            links[recipients[0]] = link
            assert "Jetzt anmelden" in body
    assert set(links) == emails
    assert len(set(links.values())) == PERSONS

    # One person follows her link (through the link tracker) and registers.
    chosen = f"live.{tag}.07@example.org"
    browser = requests.Session()
    page = browser.get(links[chosen], timeout=30)
    assert page.status_code == 200
    assert "/kommune/invitation/" in page.url
    assert f"Live Person {tag} 07" in page.text
    register = REGISTER_RE.search(page.text).group(1)
    response = browser.post(
        server.url + register,
        data={"csrf_token": CSRF_RE.search(page.text).group(1), "consent": "1"},
        timeout=30,
    )
    assert response.status_code == 200
    assert "Ihr Platz ist bestätigt" in response.text

    registrations = admin(
        "kommune.training.registration",
        "search_read",
        [[("training_id", "=", training)]],
        fields=["partner_id", "state", "source", "mailing_id", "campaign_id"],
    )
    assert len(registrations) == 1
    (registration,) = registrations
    assert registration["partner_id"][0] == person_ids[7]
    assert registration["state"] == "confirmed"
    assert registration["source"] == "invitation"
    assert registration["mailing_id"][0] == mailings[0]
    assert registration["campaign_id"][0] == campaign

    # The confirmation leaves through the mail queue (its scheduled action, run now).
    queue = xmlid(admin, "mail.ir_cron_mail_scheduler_action")
    assert admin("ir.cron", "method_direct_trigger", [[queue]]) is True
    confirmations = [
        message
        for recipients, message in sink.messages
        if recipients == [chosen] and "bestätigt" in message["Subject"]
    ]
    assert len(confirmations) == 1
    assert confirmations[0]["Subject"] == f"Ihre Anmeldung ist bestätigt: Live Schulung {tag}"

    # The campaign reports the click and the registration.
    (stats,) = admin(
        "utm.campaign",
        "read",
        [
            [campaign],
            ["mailing_sent_count", "mailing_clicked_count", "training_registration_count"],
        ],
    )
    assert stats["mailing_sent_count"] == PERSONS
    assert stats["mailing_clicked_count"] == 1
    assert stats["training_registration_count"] == 1
