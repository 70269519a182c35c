import re
from collections import defaultdict
from urllib.parse import quote, unquote

from odoo import api, models
from odoo.addons.kommune_interkulturell.wizard.privacy_lookup_wizard import _names
from odoo.tools import SQL

# The signed personal links (ir.http._get_kommune_personal_link_paths), as regular
# expressions (PostgreSQL and Python) whose group is the id of the record the link stands
# for, with that record's model: whoever holds such a link acts as its person. Campaigns
# sent before personal links were kept out of the link shortener left them in link
# trackers.
PERSONAL_LINK_PATTERNS = [
    # /kommune/invitation/<training>-<person>-<mailing>-<signature>
    (r"/kommune/invitation/[0-9]{1,10}-([0-9]{1,10})-[0-9]{1,10}-[0-9a-f]+", "res.partner"),
    # /kommune/subscribe/confirm/<consent>-<expiry>-<signature>
    (r"/kommune/subscribe/confirm/([0-9]{1,10})-[0-9]{1,12}-[0-9a-f]+", "kommune.consent"),
    # /kommune/questionnaire/<questionnaire>-<expiry>-<signature>
    (
        r"/kommune/questionnaire/([0-9]{1,10})-[0-9]{1,12}-[0-9a-f]+",
        "kommune.participant.questionnaire",
    ),
    # /kommune/schulungen/confirm/<consent>-<training>-<expiry>-<signature> (portal)
    (
        r"/kommune/schulungen/confirm/([0-9]{1,18})-[0-9]{1,18}-[0-9]{1,12}-[0-9a-f]+",
        "kommune.consent",
    ),
]
PERSONAL_LINK_PREFIX = "%/kommune/%"
# The column of the record a personal link in a link tracker stands for, per model.
TOKEN_COLUMNS = {
    "res.partner": "partner_id",
    "kommune.consent": "consent_id",
    "kommune.participant.questionnaire": "questionnaire_id",
}


def _any_of(terms):
    """A PostgreSQL regular expression finding any of the terms, or None."""
    terms = sorted({term for term in terms if term})
    if not terms:
        return None
    return "|".join("".join(c if c.isalnum() else f"\\{c}" for c in term) for term in terms)


class PrivacyLookupWizard(models.TransientModel):
    """What mass mailing holds of a person, for Odoo's privacy lookup and the network's
    subject access and erasure:

    - mailing traces of the contact (Odoo finds them by address only),
    - link trackers holding one of the person's signed personal links or their address,
    - the clicks on them and from the person's mails, with the visitor's IP address."""

    _inherit = "privacy.lookup.wizard"

    @api.model
    def _kommune_get_extension_parts(self, terms, lookup_email=None):
        ctes, branches = super()._kommune_get_extension_parts(terms, lookup_email)
        model_id = self.env["ir.model"]._get_id
        emails = [term for term in terms if "@" in term]
        links = _any_of([*emails, *(quote(email, safe="") for email in emails)])
        # What Odoo finds itself: traces by address.
        trace_condition = (
            SQL("trace.email IS DISTINCT FROM %s", lookup_email) if lookup_email else SQL("TRUE")
        )
        ctes += [
            SQL(
                """
                kommune_trace AS (
                    SELECT subject.partner_id, trace.id
                      FROM mailing_trace trace
                      JOIN kommune_subject subject ON trace.res_id = subject.partner_id
                     WHERE trace.model = 'res.partner'
                    UNION
                    SELECT subject.partner_id, trace.id
                      FROM mailing_trace trace
                      JOIN kommune_subject subject ON trace.email = subject.email
                )"""
            ),
            SQL(
                """
                kommune_token AS (
                    SELECT id, %(record_ids)s
                      FROM link_tracker
                     WHERE url LIKE %(prefix)s
                )""",
                record_ids=SQL(", ").join(
                    SQL(
                        "COALESCE(%s)::bigint AS %s",
                        SQL(", ").join(
                            SQL("substring(url FROM %s)", pattern)
                            for pattern, pattern_model in PERSONAL_LINK_PATTERNS
                            if pattern_model == model
                        ),
                        SQL.identifier(column),
                    )
                    for model, column in TOKEN_COLUMNS.items()
                ),
                prefix=PERSONAL_LINK_PREFIX,
            ),
            SQL(
                """
                kommune_link AS (
                    SELECT subject.partner_id, token.id
                      FROM kommune_token token
                      JOIN kommune_subject subject ON token.partner_id = subject.partner_id
                    UNION
                    SELECT subject.partner_id, token.id
                      FROM kommune_token token
                      JOIN kommune_consent consent ON consent.id = token.consent_id
                      JOIN kommune_subject subject ON consent.partner_id = subject.partner_id
                    UNION
                    SELECT subject.partner_id, token.id
                      FROM kommune_token token
                      JOIN kommune_participant_questionnaire questionnaire
                        ON questionnaire.id = token.questionnaire_id
                      JOIN kommune_subject subject
                        ON questionnaire.partner_id = subject.partner_id
                    UNION
                    SELECT NULL, link.id FROM link_tracker link WHERE link.url ~* %(links)s
                )""",
                links=links,
            ),
        ]
        branches += [
            SQL(
                """
                SELECT kommune_trace.partner_id, %(trace_model)s, trace.id, TRUE
                  FROM kommune_trace JOIN mailing_trace trace ON trace.id = kommune_trace.id
                 WHERE %(trace_condition)s
                """,
                trace_model=model_id("mailing.trace"),
                trace_condition=trace_condition,
            ),
            SQL(
                "SELECT partner_id, %s, id, TRUE FROM kommune_link",
                model_id("link.tracker"),
            ),
            SQL(
                """
                SELECT kommune_trace.partner_id, %(click_model)s, click.id, TRUE
                  FROM link_tracker_click click
                  JOIN kommune_trace ON click.mailing_trace_id = kommune_trace.id
                UNION ALL
                SELECT kommune_link.partner_id, %(click_model)s, click.id, TRUE
                  FROM link_tracker_click click
                  JOIN kommune_link ON click.link_id = kommune_link.id
                """,
                click_model=model_id("link.tracker.click"),
            ),
        ]
        return ctes, branches

    @api.model
    def _kommune_check_texts(self, persons, rows):
        # Link trackers found by an address are read again (the URL, decoded), or
        # recognised by the person their signed link stands for; a click is the
        # person's when its mail (trace) or its link is.
        link_models = ("link.tracker", "link.tracker.click")
        mine = super()._kommune_check_texts(
            persons, {key: ids for key, ids in rows.items() if key[0] not in link_models}
        )
        ids = defaultdict(list)
        for model, res_id in rows:
            ids[model].append(res_id)
        # sudo: read as the lookup searched (administrators only, after the manager
        # check); nothing of it is returned but ids.
        env = self.sudo().env
        links = env["link.tracker"].browse(ids["link.tracker"]).exists()
        urls = {link.id: unquote(link.url or "") for link in links}
        link_persons = self._kommune_get_link_persons(links)
        for person in persons:
            terms = self._kommune_get_terms(person.name, person.email_normalized)
            for link in links:
                if person.id in rows["link.tracker", link.id] and (
                    link_persons.get(link.id) == person.id or _names(urls[link.id], terms)
                ):
                    mine.add(("link.tracker", link.id, person.id))
        for click in env["link.tracker.click"].browse(ids["link.tracker.click"]).exists():
            for partner_id in rows["link.tracker.click", click.id]:
                if {
                    ("mailing.trace", click.mailing_trace_id.id, partner_id),
                    ("link.tracker", click.link_id.id, partner_id),
                } & mine:
                    mine.add(("link.tracker.click", click.id, partner_id))
        return mine

    @api.model
    def _kommune_get_link_persons(self, links):
        """The person each link tracker's signed personal link stands for.

        :return: ``{link id: partner id}`` for the links holding one
        """
        records = defaultdict(dict)  # model: {record id: link ids}
        for link in links:
            for pattern, model in PERSONAL_LINK_PATTERNS:
                if match := re.search(pattern, link.url or ""):
                    records[model].setdefault(int(match.group(1)), []).append(link.id)
        persons = {}
        for model, link_ids in records.items():
            # sudo: the records of any company the links stand for (e.g. consents), read
            # for their person only.
            for record in self.env[model].sudo().browse(link_ids).exists():
                person = record if model == "res.partner" else record.partner_id
                persons.update(dict.fromkeys(link_ids[record.id], person.id))
        return persons


class PrivacyLookupWizardLine(models.TransientModel):
    _inherit = "privacy.lookup.wizard.line"

    @api.model
    def _kommune_get_statistics_models(self):
        # Each campaign's sent, opened and clicked count the traces.
        return super()._kommune_get_statistics_models() + ["mailing.trace"]

    def _kommune_get_person(self):
        self.ensure_one()
        if self.res_model == "mailing.trace":
            trace = self.env["mailing.trace"].browse(self.res_id)
            if trace.model == "res.partner":
                return self.env["res.partner"].browse(trace.res_id)
        return super()._kommune_get_person()
