import re
import uuid
from collections import defaultdict

from markupsafe import escape

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, email_normalize, email_normalize_all

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


class PrivacyLookupWizard(models.TransientModel):
    """Odoo's privacy lookup finds records by a person's name and address in every
    table with a stored address or a link to a contact. The network keeps more that it
    cannot see; it is added here, so that the lookup of a system administrator, the
    subject access and the erasure all start from the same search: messages naming the
    person (body, subject, tracked values, sender), and mails waiting for or naming
    them. Bridges to other Odoo apps add what those hold (_kommune_get_extension_parts),
    e.g. mailing traces, link trackers and clicks."""

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
            lookup_email=email,
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
    def _kommune_get_extension_query(self, subjects, terms, lookup_email=None):
        """What Odoo's lookup cannot see. One pass over each table, whether one person
        is looked up or a hundred.

        :param SQL subjects: rows ``(person id, normalized address)``
        :param terms: the addresses and full names texts are searched for (see
            _kommune_get_terms)
        :param str lookup_email: the address of Odoo's own lookup, when the extension
            is part of its query (see _get_query): what Odoo finds itself is left out
        :return: SQL giving ``subject_id, res_model_id, res_id, is_active``; the subject
            is unknown (NULL) for what was found by a text
        """
        ctes, branches = self._kommune_get_extension_parts(terms, lookup_email)
        return SQL(
            "WITH %s %s",
            SQL(", ").join([SQL("kommune_subject (partner_id, email) AS (%s)", subjects), *ctes]),
            SQL(" UNION ALL ").join(branches),
        )

    @api.model
    def _kommune_get_extension_parts(self, terms, lookup_email=None):
        """The parts of the extension query (see _kommune_get_extension_query): messages
        naming the person (body, subject, tracked values, sender), mails waiting for or
        naming them, to-dos naming them. Bridges add the records of their app.

        The parts see the persons looked up as ``kommune_subject (partner_id, email)``
        and Odoo's findings, within its own query, as ``indirect_references``.

        :return: ``(ctes, branches)``: lists of SQL, common table expressions
            (``name AS (...)``) and SELECTs giving ``subject_id, res_model_id, res_id,
            is_active``
        """
        model_id = self.env["ir.model"]._get_id
        recipients = self.env["mail.mail"]._fields["recipient_ids"]
        # What Odoo finds itself: messages by author.
        message_condition = (
            SQL(
                "(message.author_id IS NULL OR message.author_id NOT IN "
                "(SELECT id FROM indirect_references))"
            )
            if lookup_email
            else SQL("TRUE")
        )
        # Texts are searched as words (PostgreSQL's text search, without stemming): one
        # pass over each text finds any of the terms, also of a hundred persons.
        texts = SQL(
            """(SELECT string_agg(query::text, ' | ')::tsquery
                  FROM unnest(%s::text[]) AS term,
                       phraseto_tsquery('simple', term) AS query
                 WHERE numnode(query) > 0)""",
            sorted(set(terms)),
        )
        messages = SQL(
            """
            SELECT NULL::integer AS subject_id, %(message_model)s AS res_model_id,
                   message.id AS res_id, TRUE AS is_active
              FROM mail_message message
             WHERE (to_tsvector('simple', concat_ws(' ', message.email_from, message.subject,
                                                    message.body)) @@ %(texts)s
                    OR message.id IN (
                        SELECT tracking.mail_message_id FROM mail_tracking_value tracking
                         WHERE to_tsvector('simple', concat_ws(' ', tracking.old_value_char,
                                                              tracking.new_value_char))
                               @@ %(texts)s))
               AND %(message_condition)s
            """,
            message_model=model_id("mail.message"),
            texts=texts,
            message_condition=message_condition,
        )
        mails = SQL(
            """
            SELECT NULL, %(mail_model)s, mail.id, TRUE
              FROM mail_mail mail
             WHERE to_tsvector('simple', concat_ws(' ', mail.email_to, mail.email_cc,
                                                   mail.body_html)) @@ %(texts)s
            """,
            mail_model=model_id("mail.mail"),
            texts=texts,
        )
        mail_recipients = SQL(
            """
            SELECT subject.partner_id, %(mail_model)s, recipient.%(mail_column)s, TRUE
              FROM %(recipient_table)s recipient
              JOIN kommune_subject subject ON recipient.%(partner_column)s = subject.partner_id
            """,
            mail_model=model_id("mail.mail"),
            recipient_table=SQL.identifier(recipients.relation),
            mail_column=SQL.identifier(recipients.column1),
            partner_column=SQL.identifier(recipients.column2),
        )
        # To-dos naming the person, on any record (a call to return, say).
        activities = SQL(
            """
            SELECT NULL, %(activity_model)s, activity.id, TRUE
              FROM mail_activity activity
             WHERE to_tsvector('simple', concat_ws(' ', activity.summary, activity.note))
                   @@ %(texts)s
            """,
            activity_model=model_id("mail.activity"),
            texts=texts,
        )
        return [], [messages, mails, mail_recipients, activities]

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
        partners.env["kommune.privacy"]._check_manager()
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
        """The extension's findings that are the person's. Texts found by words are
        read again: "anna@" must not find the mails of "johanna@", nor "Ana Li" those of
        "Ana Lisa". Reads with sudo, as the lookup searched; nothing of it is returned
        but ids. Bridges check the findings of their app.

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
        for activity in env["mail.activity"].browse(ids["mail.activity"]).exists():
            texts["mail.activity", activity.id] = " ".join(
                [activity.summary or "", str(activity.note or "")]
            )

        mine = set()
        for person in persons:
            terms = self._kommune_get_terms(person.name, person.email_normalized)
            for (model, res_id), partner_ids in rows.items():
                if person.id not in partner_ids:
                    continue
                if model in ("mail.mail", "mail.message", "mail.activity"):
                    text = texts.get((model, res_id), "")
                    theirs = person.id in recipients.get(res_id, ()) or _names(text, terms)
                else:
                    theirs = True  # found by the person's id or exact address
                if theirs:
                    mine.add((model, res_id, person.id))
        return mine


class PrivacyLookupWizardLine(models.TransientModel):
    """The lookup's own actions: deleting must not destroy the evidence of consents and
    of the data-protection logs, nor the anonymous rows the funders' counts rest on;
    those are anonymised with the person instead."""

    _inherit = "privacy.lookup.wizard.line"

    kommune_can_anonymize = fields.Boolean(
        string="Can Be Anonymised",
        compute="_compute_kommune_can_anonymize",
        help="The record stands for a person whom the network's erasure anonymises.",
    )

    @api.depends("res_model")
    def _compute_kommune_can_anonymize(self):
        # Contacts, their consents and the records the statistics count (bridges add
        # theirs, see _kommune_get_statistics_models).
        models_of_person = {
            "res.partner",
            "kommune.consent",
            *self._kommune_get_statistics_models(),
        }
        for line in self:
            line.kommune_can_anonymize = line.res_model in models_of_person

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
        person = self._kommune_get_person()
        if not person:
            raise UserError(self.env._("This record does not stand for a person."))
        return person.action_kommune_anonymize()

    def _kommune_get_undeletable_reason(self):
        """Why the record of this line must not be deleted, or None."""
        self.ensure_one()
        evidence = ("kommune.consent", "kommune.privacy.log", "privacy.log")
        if self.res_model in evidence:
            return self.env._(
                "%(record)s is evidence (consents, data-protection logs) and is never "
                "deleted. Erasing the person anonymises it.",
                record=self.res_model_id.name,
            )
        if self.res_model in self._kommune_get_statistics_models():
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

    @api.model
    def _kommune_get_statistics_models(self):
        """The kinds of records the funders' statistics count: anonymised with their
        person, never deleted from the lookup (bridges add those of their app)."""
        return ["kommune.training.registration", "kommune.training.attendance"]

    def _kommune_get_person(self):
        """The person the line's record stands for (a contact, or the participant,
        consent holder ... of the record), or an empty recordset."""
        self.ensure_one()
        record = self.env[self.res_model].browse(self.res_id)
        if self.res_model == "res.partner":
            return record
        if "partner_id" in record._fields:
            return record.partner_id
        return self.env["res.partner"]
