"""Invitation campaigns end to end, on a real server process with a real SMTP server.

- 50 persons get 50 mails with 50 different personal links; one of them follows her link
  and registers with the form, over plain HTTP; she gets the confirmation by mail; the
  campaign counts her click and her registration.
- The personal links are in the mails as they are: no link tracker holds one, and no
  short link (/r/<code>) of the mails leads to a personal page."""

import re
import uuid
from types import SimpleNamespace

import pytest

from .conftest import LiveServer, SmtpSink, open_training
from .test_live_rpc import xmlid

PERSONS = 50
PERSONAL_LINK_RE = re.compile(r'href="(http://127\.0\.0\.1:\d+/kommune/invitation/[^"/?#]+)"')
SHORT_LINK_RE = re.compile(r'href="(http://127\.0\.0\.1:\d+/r/[^"]+)"')
# Pages of signed personal links; written out here, not taken from the addon they check.
PERSONAL_PATH_RE = re.compile(r"/kommune/(invitation|subscribe/confirm)/")
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
REGISTER_RE = re.compile(r'action="(/kommune/invitation/[^"/]+/register)(?:\?lang=[A-Za-z0-9_]*)?"')


@pytest.fixture(scope="module")
def campaign_server():
    """A server of its own sending to a real SMTP server: ``(server, sink)``. The tests
    share it; each one reads the mails of its own recipients."""
    sink = SmtpSink()
    server = LiveServer(smtp_port=sink.port).wait_ready().use_own_url()
    yield server, sink
    server.stop()
    sink.stop()


def send_campaign(admin, sink, persons, body_addition=""):
    """A campaign to ``persons`` new people of a new organisation (with their consent
    to invitations), created by the Invite wizard and sent at once.

    :return: a namespace: ``tag`` (in the names), ``person_ids``, ``training``,
        ``campaign``, ``mailings`` (ids) and ``mails``, the HTML body received at each
        person's address
    """
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
    emails = [f"live.{tag}.{index:02d}@example.org" for index in range(persons)]
    person_ids = admin(
        "res.partner",
        "create",
        [
            [
                {
                    "name": f"Live Person {tag} {index:02d}",
                    "parent_id": organization,
                    "email": email,
                    "lang": "de_DE",
                }
                for index, email in enumerate(emails)
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
    assert preview["recipient_count"] == persons
    campaign = admin("kommune.campaign.invite", "action_create_campaign", [[wizard]])["res_id"]
    mailings = admin("mailing.mailing", "search", [[("campaign_id", "=", campaign)]])
    assert len(mailings) == 1, "everybody reads German: one mailing"
    if body_addition:
        (mailing,) = admin("mailing.mailing", "read", [mailings, ["body_html"]])
        admin(
            "mailing.mailing",
            "write",
            [mailings, {"body_html": mailing["body_html"] + body_addition}],
        )
    admin("mailing.mailing", "action_send_mail", [mailings])
    mails = {
        recipients[0]: message.get_body(("html",)).get_content()
        for recipients, message in sink.messages
        if recipients[0] in emails
    }
    assert set(mails) == set(emails)
    return SimpleNamespace(
        tag=tag,
        person_ids=person_ids,
        training=training,
        campaign=campaign,
        mailings=mailings,
        mails=mails,
    )


def test_campaign_to_fifty_persons(campaign_server):
    import requests

    server, sink = campaign_server
    admin = server.rpc()
    sent = send_campaign(admin, sink, PERSONS)
    person_ids, training, campaign, mailings = (
        sent.person_ids,
        sent.training,
        sent.campaign,
        sent.mailings,
    )

    # 50 mails, one per person, each with her own registration link.
    links = {}
    for email, body in sent.mails.items():
        (link,) = set(PERSONAL_LINK_RE.findall(body))
        links[email] = link
        assert "Jetzt anmelden" in body
    assert len(set(links.values())) == PERSONS

    # One person follows her link and registers.
    chosen = f"live.{sent.tag}.07@example.org"
    browser = requests.Session()
    page = browser.get(links[chosen], timeout=30)
    assert page.status_code == 200
    assert f"Live Person {sent.tag} 07" in page.text
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
    assert confirmations[0]["Subject"] == f"Ihre Anmeldung ist bestätigt: Live Schulung {sent.tag}"

    # The campaign reports the click (counted by her page) and the registration.
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


def test_no_short_link_leads_to_a_personal_page(campaign_server):
    """Mass mailing shortens the mails' links into public short links (/r/<code>, a
    few characters that can be tried one after the other): the personal links stay out
    of them. Other links of the mail are still tracked, the addon's sign-up page too."""
    import requests

    server, sink = campaign_server
    admin = server.rpc()
    signup = '<p><a href="/kommune/subscribe">Newsletter abonnieren</a></p>'
    sent = send_campaign(admin, sink, 3, signup)

    # Every short link of the mails leads elsewhere than to a personal page.
    short_links = set()
    for body in sent.mails.values():
        short_links |= set(SHORT_LINK_RE.findall(body))
    for short_link in short_links:
        response = requests.get(short_link, allow_redirects=False, timeout=30)
        assert response.status_code in (301, 302, 303), short_link
        location = response.headers["Location"]
        assert not PERSONAL_PATH_RE.search(location), location
        assert location.startswith(f"{server.url}/kommune/subscribe?"), location
    assert len(short_links) == 3, "one tracked sign-up link per mail (with its trace)"

    # No tracker holds a personal link; the mails carry theirs as they are.
    trackers = admin("link.tracker", "search_read", [[]], fields=["url"])
    for tracker in trackers:
        assert not PERSONAL_PATH_RE.search(tracker["url"]), tracker["url"]
    tokens = set()
    for body in sent.mails.values():
        (link,) = set(PERSONAL_LINK_RE.findall(body))
        tokens.add(link.rsplit("/", 1)[1])
    assert len(tokens) == 3
    for tracker in trackers:
        assert not any(token in tracker["url"] for token in tokens), tracker["url"]
