from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import (
    email_normalize_all,
    format_date,
    format_datetime,
    html2plaintext,
    is_html_empty,
)

from .kommune_participant_questionnaire import REQUIRED_ANSWERS, SPECIAL_CATEGORIES
from .mail_message import replace_terms


class KommunePrivacy(models.AbstractModel):
    """The data-protection tooling of the network (DSGVO) about a person: subject access
    (Art. 15), erasure (Art. 17) and the last activity that retention rules measure.

    Subject access and erasure start from Odoo's privacy lookup (privacy.lookup.wizard.
    _kommune_lookup, with what the network adds to it). Each model erases its own part
    of a person (``_kommune_anonymize`` of registrations and consents, mail.mail and
    mail.message ``_kommune_*``); this service orchestrates. Bridges to other Odoo apps
    extend it for the records of their app (``_get_app_sections``,
    ``_get_exported_fields``, ``_anonymize_app_records``, ``_get_erasure_labels``).

    Every entry point checks that the user is a manager of the network
    (``_check_manager``)."""

    _name = "kommune.privacy"
    _description = "Data Protection: Subject Access, Erasure, Last Activity"

    # ------------------------------------------------------------
    # ACCESS
    # ------------------------------------------------------------

    @api.model
    def _check_manager(self):
        # The buttons are hidden from others; this is the guard (RPC, report URLs).
        if not self.env.user.has_group("kommune_interkulturell.group_kommune_manager"):
            raise AccessError(
                self.env._(
                    "Only managers of Kommune Interkulturell may export or erase a person's data."
                )
            )

    # ------------------------------------------------------------
    # SUBJECT ACCESS (Art. 15 DSGVO)
    # ------------------------------------------------------------

    @api.model
    def _get_personal_lookup(self, person):
        """Odoo's privacy lookup of the person, with what the network adds to it (see
        privacy.lookup.wizard._kommune_lookup).

        :return: ``(found, others)``: ``{model name: set of ids}`` of the records that
            are the person's, and of those found by the same name or address only
        """
        person.ensure_one()
        return self.env["privacy.lookup.wizard"]._kommune_lookup(person.with_env(self.env))[
            person.id
        ]

    @api.model
    def _get_personal_data(self, person, lookup=None):
        """Everything the network holds about the person, by section: what the subject
        access exports as JSON and prints as PDF.

        :param lookup: see _get_personal_records
        :return: list of ``(key, title, rows)``; each row a list of
            ``(field name, label, value, display)`` (see _export_row)
        """
        exported = self._get_exported_fields()
        models = self.env["ir.model"]
        data = []
        for key, title, records in self._get_personal_records(person, lookup):
            rows = []
            for record in records:
                fnames = exported.get(key) or exported.get(record._name)
                if fnames:
                    rows.append(self._export_row(record, fnames))
                    continue
                # A record of a kind without a section of its own: what it is.
                kind = models._get(record._name).name
                rows.append(
                    [
                        ("model", self.env._("Kind of Record"), kind, kind),
                        *self._export_row(record, ["display_name", "create_date"]),
                    ]
                )
            data.append((key, title, rows))
        return data

    @api.model
    def _get_personal_records(self, person, lookup=None):
        """The records behind the subject access, by section, not yet formatted (the
        export dialog counts them).

        It starts from Odoo's privacy lookup: every record the lookup finds as the
        person's is in a section (what has no section of its own under "Other
        Records"); the network's sections add what the lookup cannot find by name and
        address (meetings and sessions, trainings led, messages on their records).

        Read with the current user's rights (a manager), in all of their companies.

        :param lookup: the person's ``(found, others)`` of _get_personal_lookup,
            looked up when not given
        :return: list of ``(key, title, records)``; records is a recordset, or a list
            of records of different models (``other_records``)
        """
        person.ensure_one()
        self._check_manager()
        privacy = self.with_context(
            active_test=False, allowed_company_ids=self.env.user.company_ids.ids
        )
        person = person.with_env(privacy.env)
        found, _others = lookup or privacy._get_personal_lookup(person)

        def looked_up(model):
            # What the lookup found, as far as the user may read it.
            records = privacy.env[model].browse(sorted(found.get(model, ()))).exists()
            return records._filtered_access("read")

        sections = privacy._get_app_sections(person, found, looked_up)
        listed = {records._name for _key, _title, records in sections}
        sections.append(
            (
                "other_records",
                privacy.env._("Other Records"),
                privacy._get_other_records(found, listed),
            )
        )
        return sections

    @api.model
    def _get_app_sections(self, person, found, looked_up):
        """The sections of the subject access, but the records without one: the
        network's records, Odoo's contacts, calendar and mail. Bridges add the sections
        of their app.

        :param found: ``{model name: set of ids}`` the lookup found as the person's
        :param looked_up: ``looked_up(model)`` gives what the lookup found of a model,
            as far as the user may read it
        :return: list of ``(key, title, records)``
        """
        env = self.env
        registrations = person.training_registration_ids | looked_up(
            "kommune.training.registration"
        )
        consents = person.kommune_consent_ids | looked_up("kommune.consent")
        Message = env["mail.message"]
        emails = {person.email_normalized} - {False}
        written = looked_up("mail.message").filtered(
            lambda message: (
                message.author_id == person
                or emails & set(email_normalize_all(message.email_from or ""))
            )
        )
        messages = (
            Message.search(Message._kommune_domain_about(person, [registrations, consents]))
            | written
        ).sorted("date")
        return [
            ("person", env._("Person"), person),
            ("consents", env._("Consents"), consents),
            ("training_registrations", env._("Training Registrations"), registrations),
            (
                "training_attendance",
                env._("Attendance"),
                registrations.attendance_ids | looked_up("kommune.training.attendance"),
            ),
            (
                "questionnaires",
                env._("Participant Questionnaires"),
                env["kommune.participant.questionnaire"].search([("partner_id", "in", person.ids)])
                | looked_up("kommune.participant.questionnaire"),
            ),
            (
                "trainings_as_trainer",
                env._("Trainings Led"),
                env["kommune.training"].search([("trainer_ids", "in", person.ids)]),
            ),
            (
                "cooperation_contacts",
                env._("Contact Person in Cooperations"),
                env["kommune.cooperation.member"].search([("contact_id", "in", person.ids)])
                | looked_up("kommune.cooperation.member"),
            ),
            (
                "action_items",
                env._("Action Items"),
                env["kommune.cooperation.action.item"].search([("partner_id", "in", person.ids)])
                | looked_up("kommune.cooperation.action.item"),
            ),
            (
                "meetings",
                env._("Meetings and Sessions"),
                env["calendar.event"].search([("partner_ids", "in", person.ids)], order="start"),
            ),
            ("messages", env._("Messages and Notes"), messages),
            (
                "mentions",
                env._("Named in Messages"),
                (looked_up("mail.message") - messages).sorted("date"),
            ),
            (
                "mail_delivery",
                env._("Mails to the Person"),
                env["mail.notification"].search([("res_partner_id", "in", person.ids)]),
            ),
            (
                "mails",
                env._("Mails Waiting or Kept"),
                # sudo: mails are technical records (system administrators only); the
                # lookup found these for the person, a manager exports them.
                env["mail.mail"].sudo().browse(sorted(found.get("mail.mail", ()))).exists(),
            ),
            (
                "scheduled_messages",
                env._("Messages Scheduled to the Person"),
                # sudo: Odoo shows a scheduled message to its author only; a manager
                # exports those on the person's contact or to them.
                self.sudo()._get_scheduled_messages(person),
            ),
        ]

    @api.model
    def _get_scheduled_messages(self, persons):
        """The messages scheduled in a chatter on these persons' contacts or to them."""
        return self.env["mail.scheduled.message"].search(
            Domain("partner_ids", "in", persons.ids)
            | (Domain("model", "=", persons._name) & Domain("res_id", "in", persons.ids)),
            order="scheduled_date, id",
        )

    @api.model
    def _get_other_records(self, found, listed):
        """The records the lookup found for the person that have no section of their
        own, in the user's companies.

        :param found: ``{model name: set of ids}``
        :param listed: the models that have a section
        :return: list of records
        """
        company_ids = set(self.env.user.company_ids.ids)
        records = []
        for model in sorted(found.keys() - listed):
            # sudo: some kinds are readable by administrators only (e.g. mail filters);
            # the lookup found these as the person's, a manager lists them by name and
            # date, in their companies.
            for record in self.env[model].sudo().browse(sorted(found[model])).exists():
                company = record["company_id"] if "company_id" in record._fields else None
                if not company or company.id in company_ids:
                    records.append(record)
        return records

    @api.model
    def _get_exported_fields(self):
        """What the subject access exports of each kind of record, by section key or
        model."""
        Partner = self.env["res.partner"]
        return {
            "res.partner": [
                fname
                for fname in (
                    *("name", "title", "function", "parent_id", "email", "phone", "website"),
                    *("street", "street2", "zip", "city", "country_id", "lang", "category_id"),
                    *("comment", "network_role", "organization_type_id", "district_id"),
                    *("active_district_ids", "is_blacklisted", "create_date"),
                    "kommune_anonymized_date",
                )
                if fname in Partner._fields
            ],
            "kommune.consent": [
                *("purpose_id", "legal_basis", "date_given", "channel", "date_withdrawn"),
                *("state", "company_id", "note"),
            ],
            "kommune.training.registration": [
                *("training_id", "topic_id", "training_date_begin", "organization_id"),
                *("state", "source", "date_registered", "consent", "consent_date"),
                *("attended_session_count", "attended_hours", "note", "company_id"),
            ],
            "kommune.training.attendance": ["training_id", "session_id", "present"],
            # Every answer, so that a question added to the form is in the person's copy.
            "kommune.participant.questionnaire": [
                *("period_id", "date_entry", *REQUIRED_ANSWERS),
                *("special_consent", "special_consent_date", *SPECIAL_CATEGORIES, "company_id"),
            ],
            "kommune.training": ["name", "topic_id", "date_begin", "date_end", "company_id"],
            "kommune.cooperation.member": [
                *("cooperation_id", "partner_id", "role", "stage_id", "company_id"),
            ],
            "kommune.cooperation.action.item": [
                *("name", "cooperation_id", "event_id", "date_deadline", "is_done"),
            ],
            "calendar.event": ["name", "start", "stop", "location", "cooperation_id", "res_model"],
            "mail.message": [
                *("date", "record_name", "message_type", "subject", "body", "author_id"),
                "email_from",
            ],
            "mail.notification": [
                *("mail_message_id", "notification_type", "notification_status", "failure_type"),
            ],
            "mentions": ["date", "record_name", "message_type"],
            "mail.mail": ["date", "subject", "email_to", "state"],
            "mail.scheduled.message": ["scheduled_date", "subject", "body", "author_id"],
        }

    @api.model
    def _export_row(self, record, fnames):
        """One record as ``[(field name, label, value, display)]``: labels in the user's
        language, values ready for JSON, display texts for the PDF. The building block
        of every section of the export.

        The fields the user may not read (the special categories outside the Reporting
        group) are neither refused nor silently left out - a missing answer would read
        as "not recorded" in the person's copy, which must be complete (Art. 15 DSGVO):
        the row names them under ``withheld``."""
        readable, withheld = [], []
        for fname in fnames:
            if fname not in record._fields:
                continue
            field = record._fields[fname]
            if record._has_field_access(field, "read"):
                readable.append(
                    (
                        fname,
                        field._description_string(self.env),
                        self._export_value(record, fname),
                        self._export_display(record, fname),
                    )
                )
            else:
                withheld.append(field._description_string(self.env))
        if withheld:
            label = self.env._("Withheld (only the Reporting group may export it)")
            readable.append(("withheld", label, withheld, ", ".join(withheld)))
        return readable

    @api.model
    def _export_display(self, record, fname):
        field = record._fields[fname]
        value = record[fname]
        if field.type == "boolean":
            return self.env._("Yes") if value else self.env._("No")
        if not value and field.type not in ("integer", "float", "monetary"):
            return "–"
        if field.type == "datetime":
            return format_datetime(self.env, value, tz=self.env.user.tz, dt_format="short")
        if field.type == "date":
            return format_date(self.env, value)
        if field.type in ("one2many", "many2many"):
            return ", ".join(value.mapped("display_name"))
        return str(self._export_value(record, fname))

    @api.model
    def _export_value(self, record, fname):
        field = record._fields[fname]
        value = record[fname]
        if field.type == "many2one":
            return value.display_name or None
        if field.type in ("one2many", "many2many"):
            return value.mapped("display_name")
        if field.type == "selection":
            return dict(field._description_selection(self.env)).get(value) if value else None
        if field.type in ("date", "datetime"):
            return value.isoformat() if value else None
        if field.type == "html":
            return None if is_html_empty(value) else html2plaintext(value)
        if field.type in ("boolean", "integer", "float", "monetary"):
            return value
        return value or None

    # ------------------------------------------------------------
    # ERASURE (Art. 17 DSGVO)
    # ------------------------------------------------------------

    @api.model
    def _get_anonymizable_domain(self):
        """Who an erasure can concern (the manual erasure checks it, the retention rules
        search with it): people, not organisations (their history is the network's and
        they are no data subjects), not users of the database (their partner belongs to
        the user account), not a company's own address, and nobody twice.

        :return: a ``Domain`` on res.partner
        """
        # sudo: every company's address counts, also of companies the user cannot open;
        # companies are a handful of records.
        companies = self.env["res.company"].sudo().with_context(active_test=False).search([])  # pylint: disable=no-search-all
        return (
            Domain("is_company", "=", False)
            & Domain("user_ids", "=", False)
            & Domain("id", "not in", companies.partner_id.ids)
            & Domain("kommune_anonymized_date", "=", False)
        )

    @api.model
    def _check_anonymizable(self, partners):
        """Refuse the erasure of anybody _get_anonymizable_domain leaves out, saying
        why."""
        partners = partners.with_env(self.env).with_context(active_test=False)
        refused = partners - partners.filtered_domain(self._get_anonymizable_domain())
        for partner in refused[:1]:
            if partner.is_company:
                reason = self.env._("%(name)s is an organisation.", name=partner.display_name)
            elif partner.kommune_anonymized_date:
                reason = self.env._("%(name)s is already anonymised.", name=partner.display_name)
            else:
                reason = self.env._(
                    "%(name)s is a user or a company of this database.",
                    name=partner.display_name,
                )
            raise UserError(
                self.env._("This person's data cannot be erased: %(reason)s", reason=reason)
            )

    @api.model
    def _get_anonymous_name(self):
        # In the company's language, whoever erases: the data reads the same for all.
        lang = self.env.company.partner_id.lang or self.env.lang
        return self.with_context(lang=lang).env._("Anonymised person")

    @api.model
    def _anonymize(self, partners, rule=None):
        """Erase the personal data of these persons, irreversibly, and log it.

        The one entry point of erasure: the confirmation dialog and the retention cron
        call it. It starts from Odoo's privacy lookup of each person by name and address
        (privacy.lookup.wizard._kommune_lookup, with what the network adds to it), and
        treats what it finds by kind (see _get_erasure_labels). What identifies the
        person goes: name, contact data, address, image, notes, tags, the link to their
        organisation, their own chatter, attachments, activities and followers, mails
        waiting for them, the details of their consents, and what other apps hold of
        them (_anonymize_app_records); their name and e-mail are replaced in the
        messages, mails and tracking that name them, and what they wrote is blanked.
        What the funders' statistics need stays as anonymous rows: registrations
        (training, topic, organisation with its type and district, dates, state),
        attendance. Consents in force are withdrawn and kept as dated evidence; open
        registrations are cancelled (the waitlist moves up). The mail blacklist keeps
        the address, so an objection stays honoured. Records the lookup finds only by
        the same name or address are left alone and listed in the log.

        Runs in every company (sudo after the manager check): a half-erased person is
        worse than none, and nothing is read back to the user but counts.

        :param partners: the persons (``res.partner``)
        :param rule: the ``kommune.retention.rule`` that found them, for the logs
        :return: dict of counts, also written to the network's privacy log; each person
            gets a line in Odoo's privacy log (privacy.log)
        """
        self._check_manager()
        self._check_anonymizable(partners)
        user = rule.approved_user_id if rule else self.env.user
        privacy = self.sudo().with_context(active_test=False, tracking_disable=True)
        env = privacy.env
        persons = partners.with_env(env)
        identities = {partner.id: (partner.name, partner.email_normalized) for partner in persons}
        lookup = env["privacy.lookup.wizard"]._kommune_lookup(persons)
        found = defaultdict(set)
        for theirs, _others in lookup.values():
            for model, ids in theirs.items():
                found[model] |= ids

        def records(model):
            return env[model].browse(sorted(found.get(model, ()))).exists()

        # The lookup finds these through their contact; the relations say the same, and
        # keep the network's rules when a person has no name to look up.
        registrations = persons.training_registration_ids | records("kommune.training.registration")
        consents = persons.kommune_consent_ids | records("kommune.consent")
        counts = {
            "person_count": len(persons),
            "registration_count": len(registrations),
            "consent_count": consents._kommune_anonymize(),
        }
        registrations._kommune_anonymize()
        questionnaires = env["kommune.participant.questionnaire"].search(
            [("partner_id", "in", persons.ids)]
        )
        questionnaires._kommune_anonymize()
        env["kommune.cooperation.member"].search([("contact_id", "in", persons.ids)]).write(
            {"contact_id": False}
        )
        done = {}  # (model, id): what was done, where it differs from the kind's rule
        deleted_mails = env["mail.mail"]._kommune_cancel_for(
            persons, records("mail.mail"), list(identities.values())
        )
        counts["mail_count"] = len(deleted_mails)
        done.update(dict.fromkeys([("mail.mail", id_) for id_ in deleted_mails], env._("Deleted")))
        counts["message_count"] = env["mail.message"]._kommune_scrub(
            persons,
            list(identities.values()),
            [registrations, consents, questionnaires],
            records("mail.message"),
        )
        done.update(privacy._anonymize_app_records(persons, records))

        # The person's own traces.
        own = Domain("res_model", "=", persons._name) & Domain("res_id", "in", persons.ids)
        env["ir.attachment"].search(own).unlink()
        # Messages scheduled in a chatter would post their name and address again
        # after the erasure: those on their contact or to them alone go, the others
        # are no longer sent to them.
        scheduled = privacy._get_scheduled_messages(persons)
        theirs = scheduled.filtered(
            lambda message: (
                (message.model == persons._name and message.res_id in persons.ids)
                or message.partner_ids <= persons
            )
        )
        theirs.unlink()
        (scheduled - theirs).write({"partner_ids": [Command.unlink(id_) for id_ in persons.ids]})
        # The others' scheduled messages are posted later: they no longer name them
        # (as the mails waiting for others, see mail.mail._kommune_cancel_for).
        terms = [email for _name, email in identities.values() if email] + [
            name for name, _email in identities.values() if name and len(name.split()) > 1
        ]
        if terms:
            anonymous = privacy._get_anonymous_name()
            for message in (scheduled - theirs) | env["mail.scheduled.message"].search(
                Domain.OR(
                    Domain("body", "ilike", term) | Domain("subject", "ilike", term)
                    for term in terms
                )
            ):
                values = {
                    "body": replace_terms(message.body or "", terms, anonymous, html=True),
                    "subject": message.subject and replace_terms(message.subject, terms, anonymous),
                }
                if values != {"body": message.body or "", "subject": message.subject}:
                    message.write(values)
        # Files on their consents and registrations are scanned forms with their name,
        # signature and address, which no lookup reads: they go, the dated records stay.
        for kept in (consents, registrations):
            env["ir.attachment"].search(
                [("res_model", "=", kept._name), ("res_id", "in", kept.ids)]
            ).unlink()
        # Their own to-dos, and those naming them on any record.
        (env["mail.activity"].search(own) | records("mail.activity")).unlink()
        env["mail.followers"].search([("partner_id", "in", persons.ids)]).unlink()
        env["mail.notification"].search([("res_partner_id", "in", persons.ids)]).write(
            {"mail_email_address": False, "failure_reason": False}
        )
        persons.bank_ids.unlink()
        values = dict.fromkeys(privacy._get_anonymized_fields(), False)
        values.update(
            {
                "name": privacy._get_anonymous_name(),
                "kommune_anonymized_date": fields.Datetime.now(),
                "active": False,
                "parent_id": False,
                "category_id": [Command.clear()],
                "active_district_ids": [Command.clear()],
            }
        )
        persons.write(values)
        # The person's chatter goes completely, the tracking of what was just erased
        # included; registrations and consents keep theirs (messages name their record
        # by its current display name: the new, anonymous one).
        env["mail.message"].search(
            [("model", "=", persons._name), ("res_id", "in", persons.ids)]
        ).unlink()
        if rule:
            # An automatic run: the manager who approved the rule authorised it.
            env["kommune.privacy.log"]._log("retention", rule=rule, user=user, **counts)
            note = env._("Retention rule “%(rule)s”", rule=rule.name)
        else:
            env["kommune.privacy.log"]._log(
                "erasure", partner=persons if len(persons) == 1 else None, **counts
            )
            note = env._("Erasure (Art. 17 DSGVO)")
        privacy._log_privacy_lookup(lookup, identities, note, user, done=done)
        return counts

    @api.model
    def _anonymize_app_records(self, persons, records):
        """Part of the erasure: what other Odoo apps hold of these persons, found by the
        privacy lookup. Nothing here; bridges to other apps (e.g. mass mailing's traces,
        link trackers and clicks) extend it.

        :param records: ``records(model)`` gives the records of a model the lookup found
            as the persons' (with sudo)
        :return: ``{(model, id): what was done}`` where it differs from the kind's rule
            (see _get_erasure_labels)
        """
        return {}

    @api.model
    def _get_erasure_labels(self):
        """What the erasure does with each kind of record the lookup finds; records of
        other kinds are left as they are (see _log_privacy_lookup)."""
        anonymised = self.env._("Anonymised, kept for the statistics")
        linked = self.env._("Kept, linked to the anonymous contact")
        return {
            "res.partner": self.env._("Anonymised"),
            "kommune.training.registration": anonymised,
            "kommune.training.attendance": linked,
            "kommune.participant.questionnaire": anonymised,
            "kommune.consent": self.env._("Withdrawn and kept as evidence, details removed"),
            "kommune.cooperation.member": self.env._("Contact person removed"),
            "kommune.cooperation.action.item": linked,
            "kommune.privacy.log": linked,
            "mail.message": self.env._("Cleaned"),
            "mail.mail": self.env._("Cleaned"),
            "mail.activity": self.env._("Deleted"),
            "mail.blacklist": self.env._("Kept: the blocklist keeps the objection"),
        }

    @api.model
    def _get_anonymized_fields(self):
        """Fields of a person the erasure clears: contact data, address, notes and image,
        and the network data that could single them out in a small organisation."""
        Partner = self.env["res.partner"]
        names = [
            *("email", "phone", "website", "street", "street2", "zip", "city"),
            *("state_id", "country_id", "function", "title", "comment", "image_1920"),
            *("vat", "ref", "user_id", "lang", "tz"),
            *("network_role", "organization_type_id", "district_id"),
        ]
        return [name for name in names if name in Partner._fields]

    @api.model
    def _log_privacy_lookup(self, lookup, identities, note, user, done=None):
        """A line per person in Odoo's privacy log: what the lookup found, what was done
        with it, and what it found only by the same name or address.

        :param lookup: the result of privacy.lookup.wizard._kommune_lookup
        :param identities: ``{partner id: (name, e-mail)}`` as they were
        :param str note: the operation (erasure, retention rule, subject access)
        :param user: who did it (for a retention run, who approved the rule)
        :param done: ``{(model, id): label}`` where the kind's label does not apply;
            without it, nothing was changed (subject access)
        """
        env = self.env
        models = {}

        def model_name(model):
            if model not in models:
                models[model] = env["ir.model"]._get(model).name
            return models[model]

        def format_ids(ids):
            return ", ".join(f"#{res_id}" for res_id in sorted(ids))

        labels = self._get_erasure_labels()
        unchanged = env._("Not changed (no erasure rule for these records): check them")
        elsewhere = env._("Not changed, found by the same name or address only: check them")
        values = []
        for partner_id, (found, others) in lookup.items():
            name, email = identities[partner_id]
            description = [
                f"{model_name(model)} ({len(ids)}): {format_ids(ids)}"
                for model, ids in sorted(
                    (model, found.get(model, set()) | others.get(model, set()))
                    for model in found.keys() | others.keys()
                )
                if ids
            ]
            details = []
            if done is not None:
                by_label = defaultdict(list)
                for model, ids in sorted(found.items()):
                    for res_id in ids:
                        label = done.get((model, res_id)) or labels.get(model, unchanged)
                        by_label[label, model].append(res_id)
                for model, ids in sorted(others.items()):
                    if ids:
                        by_label[elsewhere, model].extend(ids)
                details = [
                    f"{label}: {model_name(model)} {format_ids(ids)}"
                    for (label, model), ids in by_label.items()
                ]
            values.append(
                {
                    "anonymized_name": name or "",
                    "anonymized_email": email or "",
                    "user_id": user.id,
                    "records_description": "\n".join(description),
                    "execution_details": "\n".join(details) or note,
                    "additional_note": note,
                }
            )
        # sudo: Odoo's privacy log is for system administrators; the network's managers
        # write a line through the erasure and the subject access only, checked before.
        return env["privacy.log"].sudo().create(values)

    # ------------------------------------------------------------
    # RETENTION: the person's last activity
    # ------------------------------------------------------------

    @api.model
    def _get_last_activity(self, partners):
        """The latest activity of each person, by id: their creation, registrations (the
        registration and the end of the training), consents given or withdrawn, meetings
        and sessions that took place, messages they wrote and the dialogue with their
        organisation, action items, cooperations they are the contact person of,
        trainings they led.

        Read in every company (sudo): a rule of one company must never erase somebody
        another company still works with. Only dates are read."""
        persons = partners.sudo().with_context(active_test=False)
        ids = set(persons.ids)
        if not ids:
            return {}
        env = persons.env
        dates = defaultdict(list)
        for person in persons:
            dates[person.id] += [person.create_date, person.date_last_contact]

        def collect(model, domain, groupby, *aggregates):
            for partners, *values in env[model]._read_group(domain, [groupby], aggregates):
                for partner_id in set(partners.ids) & ids:
                    dates[partner_id].extend(values)

        person_ids = list(ids)
        now = fields.Datetime.now()
        Registration = env["kommune.training.registration"]
        registration_domain = [("partner_id", "in", person_ids)]
        collect(Registration._name, registration_domain, "partner_id", "date_registered:max")
        for partner, training in Registration._read_group(
            registration_domain, ["partner_id", "training_id"]
        ):
            dates[partner.id].append(training.date_end)
        consent_domain = [("partner_id", "in", person_ids)]
        collect(
            "kommune.consent", consent_domain, "partner_id", "date_given:max", "date_withdrawn:max"
        )
        collect(
            "calendar.event",
            [("partner_ids", "in", person_ids), ("start", "<=", now)],
            "partner_ids",
            "start:max",
        )
        collect("mail.message", [("author_id", "in", person_ids)], "author_id", "date:max")
        collect(
            "kommune.cooperation.action.item",
            [("partner_id", "in", person_ids)],
            "partner_id",
            "date_deadline:max",
        )
        member_domain = [("contact_id", "in", person_ids)]
        collect(
            "kommune.cooperation.member",
            member_domain,
            "contact_id",
            "date_last_contact:max",
            "write_date:max",
        )
        for training in env["kommune.training"].search([("trainer_ids", "in", person_ids)]):
            for trainer_id in set(training.trainer_ids.ids) & ids:
                dates[trainer_id].append(training.date_end or training.create_date)
        return {
            partner_id: max(fields.Datetime.to_datetime(value) for value in values if value)
            for partner_id, values in dates.items()
            if any(values)
        }
