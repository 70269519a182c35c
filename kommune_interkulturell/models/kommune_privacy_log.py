from odoo import api, fields, models
from odoo.exceptions import UserError

PRIVACY_OPERATIONS = [
    ("access", "Subject access"),
    ("erasure", "Erasure"),
    ("retention", "Retention run"),
]


class KommunePrivacyLog(models.Model):
    """What the data-protection functions did: who, when, which retention rule, how
    many records. The accountability record of Art. 5 (2) DSGVO.

    It holds no personal data of the people concerned: counts only, and for a subject
    access or an erasure of one person the link to that person's record (anonymous
    after an erasure). Append-only: nobody may create, change or delete entries by hand;
    the application writes them (see _log)."""

    _name = "kommune.privacy.log"
    _description = "Data Protection Log"
    _order = "date desc, id desc"
    _rec_name = "operation"

    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now, index=True)
    operation = fields.Selection(PRIVACY_OPERATIONS, required=True, readonly=True, index=True)
    user_id = fields.Many2one(
        "res.users",
        string="Done By",
        required=True,
        readonly=True,
        ondelete="restrict",
        help="Who asked for it; for automatic retention runs, the manager who approved the rule.",
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    rule_id = fields.Many2one(
        "kommune.retention.rule",
        string="Retention Rule",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Person",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The person whose data was exported or erased, when it was one person; "
        "anonymous after an erasure.",
    )
    person_count = fields.Integer(string="Persons", readonly=True, aggregator="sum")
    registration_count = fields.Integer(
        string="Registrations Kept Anonymous", readonly=True, aggregator="sum"
    )
    consent_count = fields.Integer(string="Consents Withdrawn", readonly=True, aggregator="sum")
    message_count = fields.Integer(string="Messages Cleaned", readonly=True, aggregator="sum")
    mail_count = fields.Integer(string="Mails Cancelled", readonly=True, aggregator="sum")

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        # Append-only also where access rights do not apply (sudo), e.g. the delete
        # action of Odoo's privacy lookup, which finds entries by their person.
        raise UserError(
            self.env._("The data-protection log is append-only: its entries are never deleted.")
        )

    @api.model
    def _log(self, operation, partner=None, rule=None, user=None, company=None, **counts):
        """Append an entry. sudo: the log is append-only for everybody, managers
        included (no create right in the ACL); only this method writes it, after the
        operation it records has passed its own access checks."""
        return self.sudo().create(
            {
                "operation": operation,
                "user_id": (user or self.env.user).id,
                "company_id": (company or (rule and rule.company_id) or self.env.company).id,
                "rule_id": rule and rule.id,
                "partner_id": partner and partner.id,
                **counts,
            }
        )
