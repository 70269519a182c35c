"""Merging duplicate contacts (Contacts → Merge) with the network's records.

Odoo's merge wizard moves every row that points to the duplicates onto the contact it
keeps, in SQL, and looks only at the database's constraints (``pg_constraint``) to
decide what may fail. The addon holds one row per person and key in unique indexes:
registrations (one per training), consents in force (one per purpose and company),
cooperation members (one per cooperation), participant questionnaires (one per funding
period) and, through the registrations, attendance lines (one per session). Two
duplicates with a row for the same key would make the wizard fail on the index. So the
rows of one key are merged first, here, as loyalty and website do for their records:
the better row is kept, what only the others hold is carried over, the others go, and
the chatter says so. Then Odoo moves the rest."""

from odoo import api, fields, models
from odoo.tools import format_date

from ..models.kommune_participant_questionnaire import REQUIRED_ANSWERS

# Registrations: the one furthest along is kept.
REGISTRATION_RANK = {
    "attended": 6,
    "absent": 5,
    "confirmed": 4,
    "waitlist": 3,
    "registered": 2,
    "invited": 1,
    "cancelled": 0,
}
# What a kept questionnaire takes from a merged one when it has no answer of its own.
QUESTIONNAIRE_CARRIED_FIELDS = ("date_entry", *REQUIRED_ANSWERS)
# The special categories travel only together with the consent they were given under.
QUESTIONNAIRE_SPECIAL_FIELDS = ("special_consent", "special_consent_date", "disability", "minority")
# What a kept registration takes from a merged one when it has none of its own.
REGISTRATION_CARRIED_FIELDS = (
    "organization_id",
    "reminder_sent_date",
    "thanks_sent_date",
)


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    @api.model
    def _update_foreign_keys(self, src_partners, dst_partner):
        """Merge the network's rows of one key before Odoo moves the rows.

        sudo: like Odoo's merge, which moves the rows in SQL, this concerns every row of
        the duplicates, in every company, whatever the merging user may read."""
        env = self.sudo().with_context(active_test=False).env
        partners = (src_partners | dst_partner).with_env(env)
        self._kommune_merge_consents(partners)
        retick = self._kommune_merge_registrations(partners)
        self._kommune_merge_members(partners)
        self._kommune_merge_questionnaires(partners)
        # A questionnaire link is signed for its contact: moved to the contact kept, the
        # duplicates' links no longer open, and their questionnaires must not show them
        # as sent (staff send the person a new one).
        env["kommune.participant.questionnaire"].search(
            [("partner_id", "in", src_partners.ids)]
        )._revoke_self_fill_link()
        result = super()._update_foreign_keys(src_partners, dst_partner)
        # Now that the consents belong to the contact kept.
        env.invalidate_all()
        for registration in retick.exists():
            if registration._consent_key() in registration._get_training_consents_in_force():
                registration.consent = True
        return result

    # ------------------------------------------------------------
    # CONSENTS: one in force per person, purpose and company
    # ------------------------------------------------------------

    @api.model
    def _kommune_merge_consents(self, partners):
        """Keep the consent in force (given before awaiting confirmation, then the
        earliest given); the others are closed (dated, kept as evidence) or, if never
        confirmed, deleted. Registrations they covered are covered by the one kept."""
        env = partners.env
        in_force = env["kommune.consent"].search(
            [("partner_id", "in", partners.ids), ("date_withdrawn", "=", False)]
        )
        groups = in_force.grouped(lambda consent: (consent.purpose_id, consent.company_id))
        for consents in groups.values():
            if len(consents) < 2:
                continue
            kept = min(
                consents,
                key=lambda consent: (consent.state != "given", consent.date_given, consent.id),
            )
            others = consents - kept
            env["kommune.training.registration"].search([("consent_id", "in", others.ids)]).write(
                {"consent_id": kept.id}
            )
            for other in others:
                if other.state == "pending":
                    message = env._(
                        "Duplicate contacts merged: this consent stays in force. The sign-up "
                        "of %(person)s of %(date)s, never confirmed, was deleted.",
                        person=other.partner_id.display_name,
                        date=self._kommune_format(other, "date_given"),
                    )
                else:
                    message = env._(
                        "Duplicate contacts merged: this consent stays in force. The "
                        "duplicate consent of %(person)s given on %(date)s was closed.",
                        person=other.partner_id.display_name,
                        date=self._kommune_format(other, "date_given"),
                    )
                kept._message_log(body=message)
            pending = others.filtered(lambda consent: consent.state == "pending")
            pending.unlink()
            for other in others - pending:
                # Not the person's withdrawal: closed as the duplicate of the one kept,
                # which covers the same purpose.
                other.write({"date_withdrawn": max(fields.Datetime.now(), other.date_given)})
                other._message_log(
                    body=env._(
                        "Duplicate contacts merged: closed as a duplicate. The consent "
                        "given on %(date)s stays in force for this purpose.",
                        date=self._kommune_format(kept, "date_given"),
                    )
                )

    # ------------------------------------------------------------
    # REGISTRATIONS AND ATTENDANCE: one per training, one line per session
    # ------------------------------------------------------------

    @api.model
    def _kommune_merge_registrations(self, partners):
        """Keep the registration furthest along (attended, absent, confirmed, waitlist,
        registered, invited, cancelled; then the one with consent, then the earlier);
        it takes the other's attendance (present at a session if either was), what it
        lacks, their notes and their chatter. A seat the other held is freed for the
        waitlist.

        :return: the registrations kept that must take over a consent tick once the
            consents belong to the contact kept
        """
        env = partners.env
        registrations = env["kommune.training.registration"].search(
            [("partner_id", "in", partners.ids)]
        )
        states = dict(registrations._fields["state"]._description_selection(env))
        retick = registrations.browse()
        for group in registrations.grouped("training_id").values():
            if len(group) < 2:
                continue
            kept = min(
                group,
                key=lambda registration: (
                    -REGISTRATION_RANK.get(registration.state, 0),
                    not registration.consent,
                    registration.date_waitlist or registration.date_registered,
                    registration.id,
                ),
            )
            for other in group - kept:
                kept._message_log(
                    body=env._(
                        "Duplicate contacts merged: the registration of %(person)s "
                        "(%(state)s, registered on %(date)s) was merged into this one.",
                        person=other.partner_id.display_name,
                        state=states.get(other.state, other.state),
                        date=self._kommune_format(other, "date_registered"),
                    )
                )
                if other.consent and not kept.consent:
                    retick |= kept
                self._kommune_merge_registration(other, kept)
        return retick

    @api.model
    def _kommune_get_registration_carried_fields(self):
        """What a kept registration takes from a merged one when it has none of its own
        (bridges add the fields of their app, e.g. the campaign it came from)."""
        return list(REGISTRATION_CARRIED_FIELDS)

    @api.model
    def _kommune_merge_registration(self, other, kept):
        env = kept.env
        for line in other.attendance_ids:
            own = kept.attendance_ids.filtered(
                lambda attendance, line=line: attendance.session_id == line.session_id
            )
            if not own:
                line.registration_id = kept
                continue
            if line.present and not own.present:
                own.present = True
            line.unlink()
        values = {
            fname: other[fname]
            for fname in self._kommune_get_registration_carried_fields()
            if other[fname] and not kept[fname]
        }
        if other.note and other.note != kept.note:
            values["note"] = "\n\n".join(filter(None, (kept.note, other.note)))
        kept.write(values)
        env["kommune.consent"].search([("registration_id", "=", other.id)]).write(
            {"registration_id": kept.id}
        )
        env["mail.message"].search([("model", "=", other._name), ("res_id", "=", other.id)]).write(
            {"res_id": kept.id}
        )
        other.unlink()

    # ------------------------------------------------------------
    # COOPERATION MEMBERS: one per organisation and cooperation
    # ------------------------------------------------------------

    @api.model
    def _kommune_merge_members(self, partners):
        """Keep the member with a contact person and a contribution (else the first);
        it takes the other's contribution, and the initiating role if the other had it."""
        env = partners.env
        members = env["kommune.cooperation.member"].search([("partner_id", "in", partners.ids)])
        for group in members.grouped("cooperation_id").values():
            if len(group) < 2:
                continue
            kept = min(
                group,
                key=lambda member: (
                    not member.contact_id,
                    not member.contribution,
                    member.sequence,
                    member.id,
                ),
            )
            for other in group - kept:
                values = {}
                if other.contribution and other.contribution != kept.contribution:
                    values["contribution"] = "\n\n".join(
                        filter(None, (kept.contribution, other.contribution))
                    )
                if other.role == "initiating_administration":
                    values["role"] = other.role
                kept.cooperation_id._message_log(
                    body=env._(
                        "Duplicate contacts merged: %(duplicate)s and %(organisation)s are "
                        "one member of this cooperation now.",
                        duplicate=other.partner_id.display_name,
                        organisation=kept.partner_id.display_name,
                    )
                )
                other.unlink()
                kept.write(values)

    # ------------------------------------------------------------
    # QUESTIONNAIRES: one per person and funding period
    # ------------------------------------------------------------

    @api.model
    def _kommune_merge_questionnaires(self, partners):
        """Keep the more complete questionnaire (then the earlier); it takes the answers
        it lacks from the other. Disability and minority are taken only together with
        the consent of the questionnaire that holds them, and only when the kept one has
        no consent of its own: an answer never stands under another row's consent."""
        env = partners.env
        questionnaires = env["kommune.participant.questionnaire"].search(
            [("partner_id", "in", partners.ids)]
        )
        for group in questionnaires.grouped("period_id").values():
            if len(group) < 2:
                continue
            kept = min(
                group,
                key=lambda questionnaire: (
                    not questionnaire.is_complete,
                    -sum(1 for fname in REQUIRED_ANSWERS if questionnaire[fname]),
                    not questionnaire.special_consent,
                    questionnaire.id,
                ),
            )
            values = {}
            for other in group - kept:
                for fname in QUESTIONNAIRE_CARRIED_FIELDS:
                    if other[fname] and not kept[fname] and fname not in values:
                        values[fname] = other[fname]
                if (
                    other.special_consent
                    and not kept.special_consent
                    and "special_consent" not in values
                ):
                    values.update({fname: other[fname] for fname in QUESTIONNAIRE_SPECIAL_FIELDS})
            (group - kept).unlink()
            kept.write(values)

    @api.model
    def _kommune_format(self, record, fname):
        """A date of ``record`` in the merging user's timezone and language."""
        return format_date(record.env, record[fname])
