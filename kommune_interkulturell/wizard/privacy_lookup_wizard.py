import re
import uuid
from collections import defaultdict
from urllib.parse import quote, unquote

from markupsafe import escape

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import SQL, email_normalize, email_normalize_all

# The signed personal links of the addon (the paths of mail_render_mixin's
# PERSONAL_LINK_PATHS), as regular expressions (PostgreSQL and Python) whose group is
# the id of the record the link stands for, with that record's model: whoever holds such
# a link acts as its person. Campaigns sent before personal links were kept out of the
# link shortener left them in link trackers.
PERSONAL_LINK_PATTERNS = [
    # /kommune/invitation/<training>-<person>-<mailing>-<signature>
    (r"/kommune/invitation/[0-9]{1,10}-([0-9]{1,10})-[0-9]{1,10}-[0-9a-f]+", "res.partner"),
    # /kommune/subscribe/confirm/<consent>-<expiry>-<signature>
    (r"/kommune/subscribe/confirm/([0-9]{1,10})-[0-9]{1,12}-[0-9a-f]+", "kommune.consent"),
]
PERSONAL_LINK_PREFIX = "%/kommune/%"

# The fields by which Odoo's lookup finds a record (privacy_lookup's _get_query): an
# address, or a link to a contact found by name or address.
LOOKUP_EMAIL_FIELDS = ("email_normalized", "email", "email_from", "company_email")

# A person looked up without an address: Odoo's lookup needs one, this one cannot exist
# (the top-level domain "invalid" is reserved, RFC 2606).
NO_ADDRESS = "no-address@kommune-interkulturell.invalid"


def _names(text, terms):
    """Whether a text names one of the terms (a full name, an address) as a whole word,
    as the erasure replaces them (see mail.message replace_terms)."""
    return any(
        re.search(rf"(?<![\w@.]){re.escape(term)}(?![\w@])", text, re.IGNORECASE) for term in terms
    )


def _any_of(terms):
    """A PostgreSQL regular expression finding any of the terms, or None."""
    terms = sorted({term for term in terms if term})
    if not terms:
        return None
    return "|".join("".join(c if c.isalnum() else f"\\{c}" for c in term) for term in terms)


class PrivacyLookupWizard(models.TransientModel):
    """Odoo's privacy lookup finds records by a person's name and address in every
    table with a stored address or a link to a contact. The network keeps more that it
    cannot see; it is added here, so that the lookup of a system administrator, the
    subject access and the erasure all start from the same search:

    - mailing traces of the contact (Odoo finds them by address only),
    - link trackers holding one of the person's signed personal links or their address,
    - the clicks on them and from the person's mails, with the visitor's IP address,
    - messages naming the person (body, subject, tracked values, sender), and mails
      waiting for or naming them.
    """

    _inherit = "privacy.lookup.wizard"

    def _get_query(self):
        query = super()._get_query()
        if self.env.context.get("kommune_lookup_odoo_only"):
            return query  # see _kommune_lookup
        email = email_normalize(self.email.strip())  # Odoo refused an invalid one
        terms = self._kommune_get_terms(self.name.strip(), email)
        extension = self._kommune_get_extension_query(
            # The persons Odoo's query found by name or address (its CTE, in scope
            # here), and the address asked for.
            SQL(
                "SELECT id, NULL FROM indirect_references UNION ALL SELECT NULL::integer, %s",
                email,
            ),
            terms,
            # What Odoo finds itself: traces by address, messages by author.
            trace_condition=SQL("trace.email IS DISTINCT FROM %s", email),
            message_condition=SQL(
                "(message.author_id IS NULL OR message.author_id NOT IN "
                "(SELECT id FROM indirect_references))"
            ),
        )
        return SQL(
            """%s
            UNION ALL
            SELECT DISTINCT res_model_id, res_id, is_active FROM (%s) AS kommune_found""",
            query,
            extension,
        )

    @api.model
    def _kommune_get_terms(self, name, email):
        """What texts are searched for: the address and the full name (a single word
        would find other people), as they stand in texts and in HTML.

        :return: list of terms
        """
        name = (name or "").strip()
        names = [name, str(escape(name))] if len(name.split()) > 1 else []
        return [term for term in (email, *names) if term]

    @api.model
    def _kommune_get_extension_query(
        self, subjects, terms, trace_condition=None, message_condition=None
    ):
        """What Odoo's lookup cannot see. One pass over each table, whether one person
        is looked up or a hundred.

        :param SQL subjects: rows ``(person id, normalized address)``
        :param terms: the addresses and full names texts are searched for (see
            _kommune_get_terms)
        :param SQL trace_condition: only traces meeting it (on ``trace``)
        :param SQL message_condition: only messages meeting it (on ``message``)
        :return: SQL giving ``subject_id, res_model_id, res_id, is_active``; the subject
            is unknown (NULL) for what was found by a text
        """
        model_id = self.env["ir.model"]._get_id
        recipients = self.env["mail.mail"]._fields["recipient_ids"]
        (invitation, _model), (confirmation, _consent) = PERSONAL_LINK_PATTERNS
        emails = [term for term in terms if "@" in term]
        links = _any_of([*emails, *(quote(email, safe="") for email in emails)])
        # Texts are searched as words (PostgreSQL's text search, without stemming): one
        # pass over each text finds any of the terms, also of a hundred persons.
        texts = SQL(
            """(SELECT string_agg(query::text, ' | ')::tsquery
                  FROM unnest(%s::text[]) AS term,
                       phraseto_tsquery('simple', term) AS query
                 WHERE numnode(query) > 0)""",
            sorted(set(terms)),
        )
        return SQL(
            """
            WITH kommune_subject (partner_id, email) AS (%(subjects)s),
            kommune_trace AS (
                SELECT subject.partner_id, trace.id
                  FROM mailing_trace trace
                  JOIN kommune_subject subject ON trace.res_id = subject.partner_id
                 WHERE trace.model = 'res.partner'
                UNION
                SELECT subject.partner_id, trace.id
                  FROM mailing_trace trace
                  JOIN kommune_subject subject ON trace.email = subject.email
            ),
            kommune_token AS (
                SELECT id,
                       substring(url FROM %(invitation)s)::bigint AS partner_id,
                       substring(url FROM %(confirmation)s)::bigint AS consent_id
                  FROM link_tracker
                 WHERE url LIKE %(prefix)s
            ),
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
                SELECT NULL, link.id FROM link_tracker link WHERE link.url ~* %(links)s
            )
            SELECT kommune_trace.partner_id AS subject_id, %(trace_model)s AS res_model_id,
                   trace.id AS res_id, TRUE AS is_active
              FROM kommune_trace JOIN mailing_trace trace ON trace.id = kommune_trace.id
             WHERE %(trace_condition)s
            UNION ALL
            SELECT partner_id, %(link_model)s, id, TRUE FROM kommune_link
            UNION ALL
            SELECT kommune_trace.partner_id, %(click_model)s, click.id, TRUE
              FROM link_tracker_click click
              JOIN kommune_trace ON click.mailing_trace_id = kommune_trace.id
            UNION ALL
            SELECT kommune_link.partner_id, %(click_model)s, click.id, TRUE
              FROM link_tracker_click click
              JOIN kommune_link ON click.link_id = kommune_link.id
            UNION ALL
            SELECT NULL, %(message_model)s, message.id, TRUE
              FROM mail_message message
             WHERE (to_tsvector('simple', concat_ws(' ', message.email_from, message.subject,
                                                    message.body)) @@ %(texts)s
                    OR message.id IN (
                        SELECT tracking.mail_message_id FROM mail_tracking_value tracking
                         WHERE to_tsvector('simple', concat_ws(' ', tracking.old_value_char,
                                                              tracking.new_value_char))
                               @@ %(texts)s))
               AND %(message_condition)s
            UNION ALL
            SELECT NULL, %(mail_model)s, mail.id, TRUE
              FROM mail_mail mail
             WHERE to_tsvector('simple', concat_ws(' ', mail.email_to, mail.email_cc,
                                                   mail.body_html)) @@ %(texts)s
            UNION ALL
            SELECT subject.partner_id, %(mail_model)s, recipient.%(mail_column)s, TRUE
              FROM %(recipient_table)s recipient
              JOIN kommune_subject subject ON recipient.%(partner_column)s = subject.partner_id
            """,
            subjects=subjects,
            invitation=invitation,
            confirmation=confirmation,
            prefix=PERSONAL_LINK_PREFIX,
            links=links,
            texts=texts,
            trace_model=model_id("mailing.trace"),
            link_model=model_id("link.tracker"),
            click_model=model_id("link.tracker.click"),
            message_model=model_id("mail.message"),
            mail_model=model_id("mail.mail"),
            trace_condition=trace_condition or SQL("TRUE"),
            message_condition=message_condition or SQL("TRUE"),
            recipient_table=SQL.identifier(recipients.relation),
            mail_column=SQL.identifier(recipients.column1),
            partner_column=SQL.identifier(recipients.column2),
        )

    # ------------------------------------------------------------
    # The lookup of the network's own functions
    # ------------------------------------------------------------

    @api.model
    def _kommune_lookup(self, partners):
        """Look these persons up as Odoo's privacy lookup does, each by name and
        address, plus the extension: what subject access and erasure start from. The
        extension is one statement for all of them (a retention run erases a hundred at
        once).

        Odoo's lookup also finds other people of the same name or address, and what is
        linked to them. A record counts as the person's when it is theirs: the contact
        itself, or it is linked to it or holds their address (Odoo's part), or the
        extension found it for them (texts and links are checked word by word). The
        rest of Odoo's findings is returned apart, for the manager to check.

        Searches every table with sudo (the lookup is for administrators only), after
        the manager check; callers read what they show with the user's rights.

        :return: ``{partner id: (found, others)}``, each ``{model name: set of ids}``
        """
        # The caller's user decides (the wizard may come from another environment).
        partners._kommune_check_privacy_manager()
        persons = partners.sudo().with_context(active_test=False)
        if not persons:
            return {}
        subjects, terms = [], []
        for person in persons:
            subjects.append(SQL("(%s, %s)", person.id, person.email_normalized or None))
            terms += self._kommune_get_terms(person.name, person.email_normalized)
        odoo_queries = self._kommune_get_odoo_queries(persons)
        extension = self._kommune_get_extension_query(
            SQL("SELECT * FROM (VALUES %s) AS subject", SQL(", ").join(subjects)), terms
        )
        self.env.flush_all()
        rows = []
        # Odoo's query person by person: hundreds of its branches in one statement
        # cost more to plan than to run.
        for person, query in zip(persons, odoo_queries, strict=True):
            self.env.cr.execute(SQL("SELECT TRUE, %s, odoo.* FROM (%s) AS odoo", person.id, query))
            rows += self.env.cr.fetchall()
        self.env.cr.execute(SQL("SELECT FALSE, kommune.* FROM (%s) AS kommune", extension))
        rows += self.env.cr.fetchall()
        models = {
            model.id: model.model
            for model in self.env["ir.model"].sudo().browse({row[2] for row in rows})
        }
        # What the extension found by a text may be anybody's of the persons.
        everybody = set(persons.ids)
        by_odoo, by_extension = defaultdict(set), defaultdict(set)
        for odoo, partner_id, model_id, res_id, _active in rows:
            if odoo:
                by_odoo[models[model_id], res_id].add(partner_id)
            else:
                by_extension[models[model_id], res_id].update(
                    everybody if partner_id is None else {partner_id}
                )
        mine = self._kommune_tie(persons, by_odoo) | self._kommune_check_texts(
            persons, by_extension
        )
        result = {person.id: (defaultdict(set), defaultdict(set)) for person in persons}
        for key, partner_ids in by_extension.items():
            for partner_id in partner_ids:
                if (*key, partner_id) in mine:
                    result[partner_id][0][key[0]].add(key[1])
        for (model, res_id), partner_ids in by_odoo.items():
            for partner_id in partner_ids:
                found, others = result[partner_id]
                if (model, res_id, partner_id) in mine:
                    found[model].add(res_id)
                elif res_id not in found[model]:
                    others[model].add(res_id)
        for found, others in result.values():
            for model, ids in found.items():
                others[model] -= ids
        return result

    @api.model
    def _kommune_get_odoo_queries(self, persons):
        """Odoo's lookup query (with other addons' extensions, without the network's)
        of each person, by name and address.

        Building it looks every model up (a query each): it is built once, with
        placeholders that are then replaced by each person's name and address. Should
        the query not hold them as given (a future version transforming them), each
        person's query is built as Odoo does.

        :return: list of SQL, in the order of ``persons``
        """
        # sudo: Odoo's lookup wizard is for system administrators; its query is only
        # built here (the records are never created), after the manager check.
        Wizard = self.sudo().with_context(kommune_lookup_odoo_only=True)

        def lookup_values(person):
            name = (person.name or "").strip() or NO_ADDRESS
            return name, person.email_normalized or NO_ADDRESS

        marker = uuid.uuid4().hex
        name_marker, email_marker = f"kommune {marker}", f"kommune-{marker}@lookup.invalid"
        template = Wizard.new({"name": name_marker, "email": email_marker})._get_query()
        params = template.params
        strings = [param for param in params if isinstance(param, str)]
        if not (
            any(name_marker == param for param in strings)
            and any(email_marker in param for param in strings)
            and not any(
                marker in param.replace(name_marker, "").replace(email_marker, "")
                for param in strings
            )
        ):
            queries = []
            for person in persons:
                name, email = lookup_values(person)
                queries.append(Wizard.new({"name": name, "email": email})._get_query())
            return queries
        queries = []
        for person in persons:
            name, email = lookup_values(person)
            queries.append(
                SQL(
                    template.code,
                    *(
                        param.replace(email_marker, email).replace(name_marker, name)
                        if isinstance(param, str)
                        else param
                        for param in params
                    ),
                )
            )
        return queries

    @api.model
    def _kommune_tie(self, persons, rows):
        """Which of Odoo's findings are the person's: their contact, what links to it,
        what holds their address. One query per model, for all persons. Reads with
        sudo, as the lookup searched: in every company, only the fields it matched.

        :param rows: ``{(model, id): partner ids looked up}``
        :return: set of ``(model, id, partner id)``
        """
        addresses = {person.id: person.email_normalized for person in persons}
        by_model = defaultdict(set)
        for model, res_id in rows:
            by_model[model].add(res_id)
        mine = set()
        for model, ids in by_model.items():
            Model = self.env[model].sudo().with_context(active_test=False)
            if model == "res.partner":
                links, emails = [], []
            elif model == "mail.message":
                links, emails = ["author_id"], []
            else:
                links = [
                    fname
                    for fname, field in Model._fields.items()
                    if field.comodel_name == "res.partner"
                    and field.type == "many2one"
                    and field.store
                    and field.ondelete != "cascade"
                ]
                emails = [
                    fname
                    for fname in LOOKUP_EMAIL_FIELDS
                    if fname in Model._fields and Model._fields[fname].store
                ]
            records = Model.browse(ids).exists()
            records.fetch(links + emails)
            for record in records:
                linked = {record.id} if model == "res.partner" else set()
                linked.update(record[fname].id for fname in links)
                held = {
                    email for fname in emails for email in email_normalize_all(record[fname] or "")
                }
                for partner_id in rows[model, record.id]:
                    if partner_id in linked or (addresses[partner_id] or NO_ADDRESS) in held:
                        mine.add((model, record.id, partner_id))
        return mine

    @api.model
    def _kommune_check_texts(self, persons, rows):
        """The extension's findings that are the person's. Texts and links found with
        ILIKE are read again: "anna@" must not find the mails of "johanna@", nor "Ana
        Li" those of "Ana Lisa"; a click is theirs when its mail or its link is. Reads
        with sudo, as the lookup searched; nothing of it is returned but ids.

        :param rows: ``{(model, id): partner ids looked up}``
        :return: set of ``(model, id, partner id)``
        """
        ids = defaultdict(list)
        for model, res_id in rows:
            ids[model].append(res_id)
        env = self.sudo().env
        texts, recipients = {}, {}
        for mail in env["mail.mail"].browse(ids["mail.mail"]).exists():
            recipients[mail.id] = set(mail.recipient_ids.ids)
            texts["mail.mail", mail.id] = " ".join(
                [mail.email_to or "", mail.email_cc or "", mail.body_html or ""]
            )
        for message in env["mail.message"].browse(ids["mail.message"]).exists():
            values = message.tracking_value_ids
            texts["mail.message", message.id] = " ".join(
                [
                    message.email_from or "",
                    message.subject or "",
                    str(message.body or ""),
                    *(value.old_value_char or "" for value in values),
                    *(value.new_value_char or "" for value in values),
                ]
            )
        links = env["link.tracker"].browse(ids["link.tracker"]).exists()
        for link in links:
            texts["link.tracker", link.id] = unquote(link.url or "")
        link_persons = self._kommune_get_link_persons(links)

        mine = set()
        for person in persons:
            terms = self._kommune_get_terms(person.name, person.email_normalized)
            for (model, res_id), partner_ids in rows.items():
                if person.id not in partner_ids or model == "link.tracker.click":
                    continue
                text = texts.get((model, res_id), "")
                if model in ("mail.mail", "mail.message"):
                    theirs = person.id in recipients.get(res_id, ()) or _names(text, terms)
                elif model == "link.tracker":
                    theirs = link_persons.get(res_id) == person.id or _names(text, terms)
                else:
                    theirs = True  # found by the person's id or exact address
                if theirs:
                    mine.add((model, res_id, person.id))
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
    """The lookup's own actions: deleting must not destroy the evidence of consents and
    of the data-protection logs, nor the anonymous rows the funders' counts rest on;
    those are anonymised with the person instead."""

    _inherit = "privacy.lookup.wizard.line"

    def _kommune_get_undeletable_reason(self):
        """Why the record of this line must not be deleted, or None."""
        self.ensure_one()
        evidence = ("kommune.consent", "kommune.privacy.log", "privacy.log")
        statistics = (
            "kommune.training.registration",
            "kommune.training.attendance",
            "mailing.trace",
        )
        if self.res_model in evidence:
            return self.env._(
                "%(record)s is evidence (consents, data-protection logs) and is never "
                "deleted. Erasing the person anonymises it.",
                record=self.res_model_id.name,
            )
        if self.res_model in statistics:
            return self.env._(
                "%(record)s is counted in the statistics the funders receive: anonymise "
                "the person (Anonymise on the line of the contact) instead of deleting it.",
                record=self.res_model_id.name,
            )
        if self.res_model == "res.partner":
            # sudo: whether the contact has consents or registrations in any company
            # (the lookup line is an administrator's, the records may be elsewhere).
            partner = self.env["res.partner"].sudo().with_context(active_test=False)
            partner = partner.browse(self.res_id).exists()
            if partner.kommune_consent_ids or partner.training_registration_ids:
                return self.env._(
                    "This person has consents or training registrations, which are kept "
                    "as evidence and for the statistics: anonymise the person instead."
                )
        return None

    def action_unlink(self):
        self.ensure_one()
        if reason := self._kommune_get_undeletable_reason():
            raise UserError(reason)
        # sudo: the lookup's delete runs with sudo too; whether the record is still
        # there, in any company.
        if self.env.context.get("kommune_unlink_all") and not (
            self.env[self.res_model].sudo().browse(self.res_id).exists()
        ):
            # "Delete Selection": an earlier line took it along (a mail with its message).
            self.write(
                {
                    "is_unlinked": True,
                    "execution_details": self.env._(
                        "Deleted %(model)s #%(id)s with another record",
                        model=self.res_model_id.name,
                        id=self.res_id,
                    ),
                }
            )
            return None
        return super().action_unlink()

    def action_unlink_all(self):
        """Delete the records of the lines but those that must be kept (see
        _kommune_get_undeletable_reason), noting why they were kept."""
        kept = self.browse()
        for line in self.filtered(lambda line: not line.is_unlinked):
            if reason := line._kommune_get_undeletable_reason():
                kept |= line
                line.execution_details = self.env._(
                    "Kept %(model)s #%(id)s: %(reason)s",
                    model=line.res_model_id.name,
                    id=line.res_id,
                    reason=reason,
                )
        return super(
            PrivacyLookupWizardLine, (self - kept).with_context(kommune_unlink_all=True)
        ).action_unlink_all()

    def action_kommune_anonymize(self):
        """Erase the person the line stands for with the network's erasure (it asks for
        confirmation): their records are anonymised where deleting them would lose
        evidence or counts."""
        self.ensure_one()
        record = self.env[self.res_model].browse(self.res_id)
        if self.res_model == "res.partner":
            person = record
        elif self.res_model == "mailing.trace" and record.model == "res.partner":
            person = self.env["res.partner"].browse(record.res_id)
        elif "partner_id" in record._fields:
            person = record.partner_id
        else:
            person = self.env["res.partner"]
        if not person:
            raise UserError(self.env._("This record does not stand for a person."))
        return person.action_kommune_anonymize()
