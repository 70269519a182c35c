from ast import literal_eval

from odoo import Command, api, fields, models
from odoo.addons.kommune_interkulturell.models.kommune_organization_type import (
    ORGANIZATION_CATEGORIES,
)
from odoo.addons.kommune_interkulturell.models.res_partner import NETWORK_ROLES
from odoo.exceptions import UserError
from odoo.fields import Domain

# Wizard checkbox per organisation category and per person role (several may be ticked;
# ticked boxes of one dimension are alternatives).
CATEGORY_FIELDS = {key: f"category_{key}" for key, _label in ORGANIZATION_CATEGORIES}
ROLE_FIELDS = {key: f"role_{key}" for key, _label in NETWORK_ROLES}
SAMPLE_SIZE = 10
UNREACHABLE_LIMIT = 80


class KommuneCampaignInvite(models.TransientModel):
    """Invite to a training by mail campaign ("Einladen").

    The audience is built from the network's dimensions - organisation categories and
    types, districts, communities and languages served, persons' roles, former
    participants of topics, chosen organisations - or taken from a saved audience (a
    ``mailing.filter`` on contacts, Odoo's saved recipient domains). Dimensions combine
    with AND, the values of one dimension with OR. The wizard shows how many people the
    campaign reaches, a sample, the split by language and the organisations nobody can
    be reached at, before anything is created or sent.

    Saved audiences are mailing filters rather than mailing lists: a filter keeps the
    criteria, so whoever joins the network later belongs to the audience next time,
    while a list would freeze today's persons into mailing contacts, copies of the
    contacts that drift apart from them (e-mail changes, archived persons)."""

    _name = "kommune.campaign.invite"
    _description = "Invitation Campaign"

    # ------------------------------------------------------------
    # DEFAULTS
    # ------------------------------------------------------------

    @api.model
    def default_get(self, field_names):
        values = super().default_get(field_names)
        # From a list of organisations (the action bound to contacts): their people.
        if (
            "organization_ids" in field_names
            and self.env.context.get("active_model") == "res.partner"
            and self.env.context.get("active_ids")
            and not values.get("organization_ids")
        ):
            organizations = (
                self.env["res.partner"]
                .browse(self.env.context["active_ids"])
                .filtered("is_company")
            )
            values["organization_ids"] = [Command.set(organizations.ids)]
        return values

    def _default_lang_ids(self):
        codes = self.env["kommune.training"]._get_invitation_langs()
        langs = self.env["res.lang"].search([("code", "in", codes)])
        return langs.sorted(lambda lang: codes.index(lang.code))

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    training_id = fields.Many2one(
        "kommune.training",
        required=True,
        ondelete="cascade",
        domain="[('stage_id.is_cancel', '=', False), "
        "'|', ('date_end', '=', False), ('date_end', '>', 'now')]",
    )
    campaign_title = fields.Char(
        string="Campaign Name",
        compute="_compute_campaign_title",
        store=True,
        readonly=False,
    )

    # Saved audience
    mailing_filter_id = fields.Many2one(
        "mailing.filter",
        string="Saved Audience",
        domain="[('mailing_model_id.model', '=', 'res.partner')]",
        help="Reuse an audience saved before; it replaces the criteria below.",
    )
    audience_name = fields.Char(
        string="Save Audience As", help="Name under which to save this audience for reuse."
    )

    # The network's dimensions
    category_migrant_organization = fields.Boolean(string="Migrant Organisations")
    category_administration = fields.Boolean(string="District Administrations")
    category_labour_market = fields.Boolean(string="Labour-Market Actors")
    category_other = fields.Boolean(string="Other Organisations")
    organization_type_ids = fields.Many2many(
        "kommune.organization.type", string="Organisation Types"
    )
    district_ids = fields.Many2many("kommune.district", string="Districts")
    district_scope = fields.Selection(
        [("main", "Main district"), ("active", "Main district or active in")],
        string="District Means",
        default="active",
        required=True,
    )
    community_ids = fields.Many2many("kommune.community", string="Communities Served")
    served_language_ids = fields.Many2many("kommune.language", string="Languages Served")
    role_fulltime = fields.Boolean(string="Full-time Staff")
    role_volunteer = fields.Boolean(string="Volunteers")
    role_management = fields.Boolean(string="Management")
    role_administration = fields.Boolean(string="Administration Staff")
    topic_ids = fields.Many2many(
        "kommune.training.topic",
        string="Former Participants Of",
        help="Only people who took part in a past training on one of these topics.",
    )
    organization_ids = fields.Many2many(
        "res.partner",
        "kommune_campaign_invite_organization_rel",
        "invite_id",
        "organization_id",
        string="People Of",
        domain="[('is_company', '=', True)]",
        help="Only the people of these organisations.",
    )
    lang_ids = fields.Many2many(
        "res.lang",
        string="Campaign Languages",
        default=lambda self: self._default_lang_ids(),
        domain="[('active', '=', True)]",
        help="One mailing per language, each recipient in their language. People whose "
        "language is none of these get the first one.",
    )

    # What the campaign reaches (live)
    recipient_count = fields.Integer(string="Recipients", compute="_compute_audience")
    sample_partner_ids = fields.Many2many(
        "res.partner", string="Sample", compute="_compute_audience"
    )
    lang_summary = fields.Char(string="By Language", compute="_compute_audience")
    unreachable_organization_ids = fields.Many2many(
        "res.partner", string="Not Reachable", compute="_compute_audience"
    )
    unreachable_count = fields.Integer(
        string="Organisations Not Reachable", compute="_compute_audience"
    )
    no_consent_partner_ids = fields.Many2many(
        "res.partner",
        relation="kommune_campaign_invite_no_consent_rel",
        string="Without Consent",
        compute="_compute_audience",
    )
    no_consent_count = fields.Integer(
        string="People Without Invitation Consent",
        compute="_compute_audience",
        help="People of the audience the invitation could reach but who have no "
        "invitation consent in force: ask for their consent to invite them.",
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("training_id")
    def _compute_campaign_title(self):
        for wizard in self:
            wizard.campaign_title = wizard.training_id and self.env._(
                "Invitation: %(training)s", training=wizard.training_id.name
            )

    @api.depends(
        "training_id",
        "mailing_filter_id",
        "district_ids",
        "district_scope",
        "organization_type_ids",
        "community_ids",
        "served_language_ids",
        "topic_ids",
        "organization_ids",
        "lang_ids",
        *CATEGORY_FIELDS.values(),
        *ROLE_FIELDS.values(),
    )
    def _compute_audience(self):
        Partner = self.env["res.partner"]
        for wizard in self:
            if not wizard.training_id:
                wizard.recipient_count = 0
                wizard.sample_partner_ids = Partner
                wizard.lang_summary = False
                wizard.unreachable_organization_ids = Partner
                wizard.unreachable_count = 0
                wizard.no_consent_partner_ids = Partner
                wizard.no_consent_count = 0
                continue
            # The audience's query once; counting, sampling and grouping reuse it.
            domain = Domain("id", "in", Partner._search(wizard._get_recipient_domain()))
            wizard.recipient_count = Partner.search_count(domain)
            wizard.sample_partner_ids = Partner.search(domain, limit=SAMPLE_SIZE, order="name, id")
            wizard.lang_summary = wizard._get_lang_summary(domain)
            no_consent_domain = wizard._get_no_consent_domain()
            wizard.no_consent_count = Partner.search_count(no_consent_domain)
            wizard.no_consent_partner_ids = Partner.search(
                no_consent_domain, limit=UNREACHABLE_LIMIT, order="name, id"
            )
            unreachable_domain = wizard._get_unreachable_domain()
            if unreachable_domain is None:
                wizard.unreachable_organization_ids = Partner
                wizard.unreachable_count = 0
            else:
                wizard.unreachable_count = Partner.search_count(unreachable_domain)
                wizard.unreachable_organization_ids = Partner.search(
                    unreachable_domain, limit=UNREACHABLE_LIMIT, order="name, id"
                )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_save_audience(self):
        """Save the criteria as a reusable audience (a mailing filter on contacts)."""
        self.ensure_one()
        if not self.audience_name:
            raise UserError(self.env._("Give the audience a name to save it."))
        if self.mailing_filter_id:
            raise UserError(self.env._("This audience is already saved."))
        self.mailing_filter_id = self.env["mailing.filter"].create(
            {
                "name": self.audience_name,
                "mailing_model_id": self.env["ir.model"]._get_id("res.partner"),
                "mailing_domain": repr(list(self._get_audience_domain())),
            }
        )
        self.audience_name = False
        return self._reopen()

    def action_create_campaign(self):
        """Create the campaign as drafts, to review and test before sending."""
        campaign = self._create_campaign()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kommune_interkulturell_mass_mailing.utm_campaign_action_training"
        )
        action.update(
            {
                "res_id": campaign.id,
                "views": [(False, "form")],
                "view_mode": "form",
                "domain": [("training_id", "=", self.training_id.id)],
            }
        )
        return action

    def action_send_campaign(self):
        """Create the campaign and queue all its mailings for sending."""
        campaign = self._create_campaign()
        campaign.action_send_invitations()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "The invitations to %(training)s are on their way to %(count)s people.",
                    training=self.training_id.name,
                    count=self.recipient_count,
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    # ------------------------------------------------------------
    # AUDIENCE
    # ------------------------------------------------------------

    def _get_organization_domain(self):
        """The organisation-level criteria. They hold for organisations and for persons
        alike: type, category and districts are copied to an organisation's people (see
        res.partner._commercial_fields), the rest is read on the organisation
        (commercial partner) of each."""
        self.ensure_one()
        domains = []
        categories = [key for key, field in CATEGORY_FIELDS.items() if self[field]]
        if categories:
            domains.append(Domain("organization_category", "in", categories))
        if self.organization_type_ids:
            domains.append(Domain("organization_type_id", "in", self.organization_type_ids.ids))
        if self.district_ids:
            district = Domain("district_id", "in", self.district_ids.ids)
            if self.district_scope == "active":
                district |= Domain("active_district_ids", "in", self.district_ids.ids)
            domains.append(district)
        if self.community_ids:
            domains.append(
                Domain("commercial_partner_id.community_ids", "in", self.community_ids.ids)
            )
        if self.served_language_ids:
            domains.append(
                Domain(
                    "commercial_partner_id.served_language_ids",
                    "in",
                    self.served_language_ids.ids,
                )
            )
        if self.organization_ids:
            domains.append(Domain("commercial_partner_id", "in", self.organization_ids.ids))
        return Domain.AND(domains)

    def _get_audience_domain(self):
        """The audience on persons (``res.partner``), independent of the training: this is
        what a saved audience keeps. Persons of the network are the people (contacts, not
        addresses) of organisations that have a type."""
        self.ensure_one()
        if self.mailing_filter_id:
            return Domain(literal_eval(self.mailing_filter_id.mailing_domain))
        domains = [
            Domain("is_company", "=", False),
            Domain("type", "=", "contact"),
            Domain("organization_type_id", "!=", False),
            self._get_organization_domain(),
        ]
        roles = [key for key, field in ROLE_FIELDS.items() if self[field]]
        if roles:
            domains.append(Domain("network_role", "in", roles))
        if self.topic_ids:
            domains.append(
                Domain(
                    "training_registration_ids",
                    "any",
                    [
                        ("topic_id", "in", self.topic_ids.ids),
                        ("state", "in", ("confirmed", "attended")),
                        ("training_id.date_end", "<", "now"),
                    ],
                )
            )
        return Domain.AND(domains)

    def _get_recipient_domain(self):
        """Who gets the campaign: the audience without the training's exclusions."""
        self.ensure_one()
        return self.training_id._get_invitation_recipient_domain(self._get_audience_domain())

    def _get_no_consent_domain(self):
        """People of the audience left out only for lack of a legal basis (see
        res.partner._kommune_invitation_conditions): staff may ask them for consent."""
        self.ensure_one()
        training = self.training_id
        conditions = dict(
            self.env["res.partner"]._kommune_invitation_conditions(training.company_id)
        )
        basis = conditions.pop("no_legal_basis")
        return (
            self._get_audience_domain()
            & training._get_unregistered_domain()
            & Domain.AND(conditions.values())
            & ~basis
        )

    def _get_unreachable_domain(self):
        """Organisations of the audience without a single person with an e-mail address,
        or None for a saved audience (its criteria are a domain on persons)."""
        self.ensure_one()
        if self.mailing_filter_id:
            return None
        return Domain.AND(
            [
                Domain("is_company", "=", True),
                Domain("organization_type_id", "!=", False),
                self._get_organization_domain(),
                Domain(
                    "child_ids",
                    "not any",
                    [
                        ("is_company", "=", False),
                        ("type", "=", "contact"),
                        ("email_normalized", "!=", False),
                    ],
                ),
            ]
        )

    def _get_langs(self):
        self.ensure_one()
        codes = [lang.code for lang in self.lang_ids]
        return self.env["kommune.training"]._get_invitation_langs(codes)

    def _get_lang_summary(self, domain):
        """E.g. "German: 40 · English: 12": how the campaign splits into mailings."""
        self.ensure_one()
        langs = self._get_langs()
        names = dict(self.env["res.lang"].get_installed())
        counts = dict.fromkeys(langs, 0)
        for lang, count in self.env["res.partner"]._read_group(domain, ["lang"], ["__count"]):
            counts[lang if lang in counts else langs[0]] += count
        return " · ".join(f"{names.get(lang, lang)}: {count}" for lang, count in counts.items())

    # ------------------------------------------------------------
    # CAMPAIGN
    # ------------------------------------------------------------

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Invite to %(training)s", training=self.training_id.name),
            "res_model": self._name,
            "res_id": self.id,
            "views": [(False, "form")],
            "target": "new",
            "context": self.env.context,
        }

    def _create_campaign(self):
        self.ensure_one()
        return self.training_id._create_invitation_campaign(
            self._get_audience_domain(),
            lang_codes=[lang.code for lang in self.lang_ids],
            title=self.campaign_title,
        )
