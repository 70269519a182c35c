from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import ormcache

# Art. 6 (1) DSGVO: the bases the network works with. Vital interests (d) and public
# tasks (e) do not occur in an association's work and are left out on purpose.
LEGAL_BASES = [
    ("consent", "Consent (Art. 6 (1) a)"),
    ("contract", "Contract (Art. 6 (1) b)"),
    ("legal_obligation", "Legal obligation (Art. 6 (1) c)"),
    ("legitimate_interest", "Legitimate interest (Art. 6 (1) f)"),
]

# The purposes the code relies on, by their technical code (see _get_by_code).
PURPOSE_TRAINING = "training"
PURPOSE_INVITATION = "invitation"
PURPOSE_PHOTO = "photo"
PURPOSE_FUNDER_REPORTING = "funder_reporting"


class KommuneConsentPurpose(models.Model):
    """Why the network processes personal data: a purpose of processing.

    A model rather than a selection: the wording shown to people (name and description)
    is translatable and editable by managers, a funder may ask for a further purpose
    (e.g. an evaluation survey) without a code change, and consents keep pointing at
    their purpose when it is renamed. The code finds the purposes it needs by their
    technical ``code``; those shipped cannot lose it."""

    _name = "kommune.consent.purpose"
    _description = "Purpose of Processing"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        string="Technical Code",
        readonly=True,
        copy=False,
        help="Set on the shipped purposes the application relies on (registrations, "
        "invitations); empty for purposes added by hand.",
    )
    description = fields.Text(
        translate=True,
        help="What the data is used for, in the words shown to the person asked for consent.",
    )
    legal_basis = fields.Selection(
        LEGAL_BASES,
        string="Default Legal Basis",
        required=True,
        default="consent",
        help="Proposed for new records of this purpose (Art. 6 (1) DSGVO).",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    consent_count = fields.Integer(string="Active Consents", compute="_compute_consent_count")

    _code_unique = models.UniqueIndex(
        "(code) WHERE code IS NOT NULL", "Another purpose already has this technical code."
    )

    def _compute_consent_count(self):
        counts = dict(
            self.env["kommune.consent"]._read_group(
                [("purpose_id", "in", self.ids), ("state", "=", "given")],
                ["purpose_id"],
                ["__count"],
            )
        )
        for purpose in self:
            purpose.consent_count = counts.get(purpose, 0)

    @api.model_create_multi
    def create(self, vals_list):
        purposes = super().create(vals_list)
        if any(vals.get("code") for vals in vals_list):
            self._clear_code_cache()
        return purposes

    def write(self, vals):
        res = super().write(vals)
        if "code" in vals:
            self._clear_code_cache()
        return res

    def unlink(self):
        coded = self.filtered("code")
        res = super().unlink()
        if coded:
            self._clear_code_cache()
        return res

    def _clear_code_cache(self):
        """Forget the codes looked up (_get_id_by_code): now, and again once this
        transaction is committed, since another thread of this process may cache a code
        as it was before the commit in between."""
        self.env.registry.clear_cache()
        self.env.cr.postcommit.add(self.env.registry.clear_cache)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_coded(self):
        if coded := self.filtered("code"):
            raise UserError(
                self.env._(
                    "The purpose “%(purpose)s” is used by the application: archive it "
                    "instead of deleting it.",
                    purpose=coded[0].name,
                )
            )

    @api.readonly
    def action_open_consents(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kommune_interkulturell.kommune_consent_action"
        )
        action["domain"] = [("purpose_id", "=", self.id)]
        action["context"] = {"default_purpose_id": self.id, "search_default_filter_given": 1}
        return action

    @api.model
    def _get_by_code(self, code):
        """The purpose with this technical code (archived ones included), or an empty
        recordset."""
        # Searching checks the user's access to purposes: so does the cached lookup.
        self.browse().check_access("read")
        return self.with_context(active_test=False).browse(self._get_id_by_code(code))

    @api.model
    @ormcache("code")
    def _get_id_by_code(self, code):
        """The id of the purpose with this technical code, or None: looked up once per
        process (a registration looks its purpose up several times, and the shipped
        purposes' codes never change), the cache cleared when a code is set or removed."""
        # sudo: the same answer for every user, cached for all; the caller checked the
        # access (see _get_by_code).
        purpose = self.sudo().with_context(active_test=False).search([("code", "=", code)], limit=1)
        return purpose.id or None
