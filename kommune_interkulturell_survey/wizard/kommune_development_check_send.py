from odoo import Command, api, fields, models
from odoo.addons.kommune_interkulturell.models.kommune_consent_mixin import INVITATION_REFUSALS
from odoo.exceptions import UserError

from ..models.kommune_development_dimension import CHECK_TYPES


class KommuneDevelopmentCheckSend(models.TransientModel):
    """Send an organisation's contact persons the personal link to a self-check.

    The mail follows the app's rule of every invitation (res.partner.
    _kommune_get_invitation_refusals): the wizard lists who is left out and why
    before anything is sent, and the rule is applied again when sending."""

    _name = "kommune.development.check.send"
    _description = "Send a Self-Check"

    organization_id = fields.Many2one(
        "res.partner",
        string="Organisation",
        required=True,
        ondelete="cascade",
        domain="[('is_company', '=', True)]",
    )
    check_type = fields.Selection(
        CHECK_TYPES,
        string="Self-Check",
        required=True,
        compute="_compute_check_type",
        store=True,
        precompute=True,
        readonly=False,
        help="District administrations get the Intercultural Opening Check, other "
        "organisations the Professionalisation Check.",
    )
    partner_ids = fields.Many2many(
        "res.partner",
        string="Contact Persons",
        compute="_compute_partner_ids",
        store=True,
        readonly=False,
        domain="[('parent_id', '=', organization_id), ('is_company', '=', False)]",
        help="Who receives a personal link to fill in the self-check for the "
        "organisation; by default its people in management.",
    )
    exclusion_ids = fields.One2many(
        "kommune.development.check.send.exclusion",
        "wizard_id",
        string="Not Sent",
        compute="_compute_exclusion_ids",
        store=True,
        compute_sudo=False,  # decided with the user's rights, as the mail will be
    )
    recipient_count = fields.Integer(string="Recipients", compute="_compute_counts")
    exclusion_count = fields.Integer(string="People Left Out", compute="_compute_counts")

    @api.depends("organization_id")
    def _compute_check_type(self):
        for wizard in self:
            category = wizard.organization_id.organization_category
            wizard.check_type = "administration" if category == "administration" else "mo"

    @api.depends("organization_id")
    def _compute_partner_ids(self):
        for wizard in self:
            people = wizard._get_people()
            management = people.filtered(lambda person: person.network_role == "management")
            wizard.partner_ids = management or people

    @api.depends("partner_ids", "organization_id")
    def _compute_exclusion_ids(self):
        for wizard in self:
            refusals = wizard._get_refusals(wizard.partner_ids._origin)
            wizard.exclusion_ids = [Command.clear()] + [
                Command.create({"partner_id": partner.id, "reason": reason})
                for partner, reason in refusals.items()
            ]

    @api.depends("partner_ids", "exclusion_ids")
    def _compute_counts(self):
        for wizard in self:
            wizard.exclusion_count = len(wizard.exclusion_ids)
            wizard.recipient_count = len(wizard.partner_ids) - wizard.exclusion_count

    def _get_people(self):
        """The organisation's people (contacts, not addresses)."""
        self.ensure_one()
        return self.organization_id._origin.child_ids.filtered(
            lambda partner: not partner.is_company and partner.type == "contact"
        )

    def _get_company(self):
        """The company the self-check is sent from: the organisation's, or the
        sender's current one for organisations shared between companies."""
        self.ensure_one()
        return self.organization_id.company_id or self.env.company

    def _get_refusals(self, partners):
        """Why some of ``partners`` get no link: the rule of every invitation, in the
        company the self-check is sent from."""
        self.ensure_one()
        return partners._kommune_get_invitation_refusals(company=self._get_company(), mail=True)

    def _get_survey(self):
        """The shipped self-check of this kind. Project users are not Survey users:
        they may send the self-checks without reading surveys or their answers, hence
        sudo, for the active self-check of the kind chosen only."""
        self.ensure_one()
        survey = (
            self.env["survey.survey"]
            .sudo()
            .search(
                [("kommune_check_type", "=", self.check_type), ("active", "=", True)],
                order="id",
                limit=1,
            )
        )
        if not survey:
            raise UserError(self.env._("There is no active self-check of this kind."))
        return survey

    def action_send(self):
        self.ensure_one()
        self.organization_id.check_access("write")
        people = self.partner_ids & self._get_people()
        if not people:
            raise UserError(self.env._("Choose the organisation's contact persons."))
        recipients = people - self.env["res.partner"].browse(
            partner.id for partner in self._get_refusals(people)
        )
        answers = self._get_survey()._kommune_prepare_answers(
            recipients, self.organization_id, self._get_company()
        )
        template = self.env.ref("kommune_interkulturell_survey.mail_template_development_check")
        for answer in answers:
            # sudo: the answers are survey records project users cannot read (see
            # _get_survey): the mail is rendered and queued for these answers only.
            template.sudo().send_mail(answer.id)
        if answers:
            self.organization_id.message_post(
                body=self.env._(
                    "Self-check sent to %(people)s.",
                    people=", ".join(answers.partner_id.mapped("name")),
                ),
                subtype_xmlid="mail.mt_note",
            )
        left_out = len(people) - len(answers)
        if left_out:
            message = self.env._(
                "Self-check sent to %(count)s people, %(left_out)s left out.",
                count=len(answers),
                left_out=left_out,
            )
        else:
            message = self.env._("Self-check sent to %(count)s people.", count=len(answers))
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning" if left_out else "success",
                "message": message,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }


class KommuneDevelopmentCheckSendExclusion(models.TransientModel):
    """A contact person the self-check is not sent to, with the reason."""

    _name = "kommune.development.check.send.exclusion"
    _description = "Contact Person Left Out"
    _order = "id"

    wizard_id = fields.Many2one("kommune.development.check.send", required=True, ondelete="cascade")
    partner_id = fields.Many2one("res.partner", string="Person", required=True, ondelete="cascade")
    reason = fields.Selection(INVITATION_REFUSALS, required=True)
