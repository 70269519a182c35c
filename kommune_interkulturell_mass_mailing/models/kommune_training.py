import re
from datetime import timedelta

import lxml.html
import pytz
from markupsafe import Markup
from psycopg2.extensions import ISOLATION_LEVEL_READ_COMMITTED

from odoo import api, fields, models
from odoo.addons.kommune_interkulturell.models.kommune_training import DEFAULT_TZ
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.sql_db import Cursor
from odoo.tools import consteq, format_date, format_time
from odoo.tools.misc import hmac

DEFAULT_CANCEL_DEADLINE_DAYS = 2
DEFAULT_CAMPAIGN_LANGS = ["de_DE", "en_US"]
CAMPAIGN_TEMPLATE_XMLID = "kommune_interkulturell_mass_mailing.mail_template_training_campaign"
# The scope of the signatures of personal links: links sent before the campaigns had an
# addon of their own keep working, hence the app's name.
INVITATION_TOKEN_SCOPE = "kommune_interkulturell.training_invitation"
INVITATION_TOKEN_RE = re.compile(r"(\d{1,10})-(\d{1,10})-(\d{1,10})-([0-9a-f]{64})")
INVITATION_TOKEN_MAX_LENGTH = 100


def _browse_existing(model, record_id):
    """The record of ``model`` with this id (archived or not), or an empty recordset:
    ``browse(record_id).exists()`` with the fields the first read of a field would fetch
    (those prefetched) read in the same query, instead of one query for exists() and
    one for that read. Meant for the superuser (personal links are checked with sudo):
    otherwise the record rules hide a record as a search does."""
    if not record_id:
        return model.browse()
    found = model.with_context(active_test=False).search_fetch([("id", "=", record_id)], order="id")
    return model.browse(found.ids)


def _xpath_class(css_class, tag="*"):
    """XPath of the elements carrying a CSS class (among others)."""
    return f"//{tag}[contains(concat(' ', normalize-space(@class), ' '), ' {css_class} ')]"


class KommuneTraining(models.Model):
    """A training's invitation campaigns: one mailing per language to an audience of
    the network, each mail with the person's personal link, which opens the training's
    registration page until the registration deadline and lets them cancel until the
    cancellation cut-off."""

    _inherit = "kommune.training"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    registration_deadline = fields.Datetime(
        tracking=True,
        copy=False,
        help="The personal registration links of invitations close then. Leave empty to "
        "accept registrations until the first session starts.",
    )
    date_registration_close = fields.Datetime(
        string="Registration Closes",
        compute="_compute_date_registration_close",
        store=True,
        help="The registration deadline, or else the start of the first session.",
    )
    cancel_deadline_days = fields.Integer(
        string="Online Cancellation (Days Before)",
        default=DEFAULT_CANCEL_DEADLINE_DAYS,
        help="Participants can cancel through their personal link until this many days "
        "before the first session; their seat then goes to the waitlist.",
    )
    campaign_ids = fields.One2many(
        "utm.campaign",
        "training_id",
        string="Campaigns",
        groups="mass_mailing.group_mass_mailing_user",
    )
    campaign_count = fields.Integer(
        string="Number of Campaigns",
        compute="_compute_campaign_count",
        groups="mass_mailing.group_mass_mailing_user",
    )
    campaign_registration_count = fields.Integer(
        string="Registrations from Campaigns",
        compute="_compute_campaign_registration_count",
        help="Registrations made through the personal link of a campaign mail.",
    )

    _cancel_deadline_days_positive = models.Constraint(
        "CHECK (cancel_deadline_days >= 0)",
        "The online cancellation cannot end a negative number of days before the training.",
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("registration_deadline", "date_begin")
    def _compute_date_registration_close(self):
        for training in self:
            training.date_registration_close = training.registration_deadline or training.date_begin

    def _compute_campaign_count(self):
        counts = dict(
            self.env["utm.campaign"]._read_group(
                [("training_id", "in", self.ids)], ["training_id"], ["__count"]
            )
        )
        for training in self:
            training.campaign_count = counts.get(training._origin, 0)

    def _compute_campaign_registration_count(self):
        counts = dict(
            self.env["kommune.training.registration"]._read_group(
                [("training_id", "in", self.ids), ("campaign_id", "!=", False)],
                ["training_id"],
                ["__count"],
            )
        )
        for training in self:
            training.campaign_registration_count = counts.get(training._origin, 0)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    @api.readonly
    def action_open_campaigns(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kommune_interkulturell_mass_mailing.utm_campaign_action_training"
        )
        action["domain"] = [("training_id", "=", self.id)]
        action["context"] = {"default_training_id": self.id, "create": False}
        return action

    @api.readonly
    def action_open_campaign_registrations(self):
        """Registrations that came from the campaigns, per campaign over time."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kommune_interkulturell_mass_mailing.kommune_training_registration_action_campaign"
        )
        action["domain"] = [("training_id", "=", self.id), ("campaign_id", "!=", False)]
        return action

    def action_invite_campaign(self):
        """The "Invite" wizard: an audience from the network, then a mail campaign."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Invite to %(training)s", training=self.name),
            "res_model": "kommune.campaign.invite",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_training_id": self.id},
        }

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    # Registration and cancellation through the personal link

    def _is_registration_open(self):
        """Whether the personal links still accept registrations."""
        self.ensure_one()
        if self.is_cancelled or self.is_finished:
            return False
        close = self.date_registration_close
        return not close or fields.Datetime.now() < close

    def _get_cancel_deadline(self):
        """Until when participants may cancel online (False: no sessions yet, no limit)."""
        self.ensure_one()
        if not self.date_begin:
            return False
        return self.date_begin - timedelta(days=self.cancel_deadline_days)

    def _can_cancel_online(self):
        self.ensure_one()
        if self.is_cancelled or self.is_finished:
            return False
        deadline = self._get_cancel_deadline()
        return not deadline or fields.Datetime.now() < deadline

    def _register_participant_public(self, partner, partner_vals=None, **vals):
        """Register a person through a public form (their personal link): what
        ``_register_participant`` does, and the data the person gave about themselves
        (``partner_vals``), in a short transaction of its own at READ COMMITTED,
        committed at once.

        A public request must not end in an error because others register at the same
        moment. In the request's own transaction (REPEATABLE READ), a registration that
        waited for the seat lock while another one changed the seats fails and the whole
        request is retried (see ``_lock_seats``); with many people at once a request can
        lose every retry. At READ COMMITTED it waits for the lock and then reads the
        training and its seats as committed: no failure, and still no overbooking (the
        lock, the counts read after it and the CHECK constraint). Whether the training
        still takes registrations is checked again after the wait.

        The caller's transaction must hold no lock this one needs (it would wait for
        itself): it must not have written anything yet. Having begun before this one
        committed, it sees the registration only in a transaction begun afterwards.

        :param partner: the person (``res.partner``), who registers themselves
        :param dict partner_vals: values to write on the person, e.g. a phone number
        :param vals: as for ``_register_participant``
        :return: the id of the registration, or None when the training no longer takes
            registrations
        """
        self.ensure_one()
        partner.ensure_one()
        # A cursor of its own, committed when the block ends; the test cursor (tests)
        # shares the test's transaction instead, as in kommune.rate.limit._hit.
        with self.env.registry.cursor() as cr:
            if isinstance(cr, Cursor):
                # The next cursor on this connection sets Odoo's level again.
                cr.connection.set_isolation_level(ISOLATION_LEVEL_READ_COMMITTED)
            training = self.with_env(self.env(cr=cr))
            training._lock_seats()
            if not training._is_registration_open():
                return None
            partner = partner.with_env(training.env)
            if partner_vals:
                partner.write(partner_vals)
            return training._register_participant(partner, seats_locked=True, **vals).id

    def _format_datetime_local(self, value):
        """A date and time in the training's timezone and the environment's language."""
        self.ensure_one()
        if not value:
            return ""
        local = pytz.utc.localize(value).astimezone(pytz.timezone(self.date_tz or DEFAULT_TZ))
        day = format_date(self.env, local.date(), date_format="long")
        return f"{day}, {format_time(self.env, local.time(), time_format='short')}"

    # Personal links: <training>-<person>-<mailing>-<signature>. The signature is an HMAC
    # keyed with the database secret over all three ids, so a link cannot be forged or
    # moved to another person, training or mailing; the mailing (0 for none) tells which
    # campaign a registration came from. Validity is not in the token: a link works while
    # the training accepts registrations or cancellations (see the controller).

    def _get_invitation_token(self, partner, mailing=None):
        self.ensure_one()
        partner.ensure_one()
        mailing_id = mailing.id if mailing else 0
        signature = hmac(
            self.env(su=True), INVITATION_TOKEN_SCOPE, (self.id, partner.id, mailing_id)
        )
        return f"{self.id}-{partner.id}-{mailing_id}-{signature}"

    @api.model
    def _get_invitation_from_token(self, token):
        """The training, person and mailing a personal link stands for.

        Anything that is not a link signed by this database (malformed, altered, made for
        somebody else, person or training deleted) gives ``None`` - the same answer for
        every case, compared in constant time, so that nothing can be learnt from it.

        :return: ``(training, partner, mailing)`` in the caller's environment, or None
        """
        if not isinstance(token, str) or len(token) > INVITATION_TOKEN_MAX_LENGTH:
            return None
        match = INVITATION_TOKEN_RE.fullmatch(token)
        if not match:
            return None
        training_id, partner_id, mailing_id = (int(value) for value in match.groups()[:3])
        expected = hmac(
            self.env(su=True), INVITATION_TOKEN_SCOPE, (training_id, partner_id, mailing_id)
        )
        if not consteq(expected, match.group(4)):
            return None
        training = _browse_existing(self, training_id)
        partner = _browse_existing(self.env["res.partner"], partner_id)
        if not training or not partner or not partner.active or partner.is_company:
            return None
        mailing = _browse_existing(self.env["mailing.mailing"], mailing_id)
        if mailing.training_id != training:
            mailing = mailing.browse()
        return training, partner, mailing

    def _get_invitation_url(self, partner, mailing=None):
        self.ensure_one()
        token = self._get_invitation_token(partner, mailing)
        return f"{self.get_base_url()}/kommune/invitation/{token}"

    def _get_invitation_preview_url(self):
        """The registration page as staff see it (test mails, previews): no personal link."""
        self.ensure_one()
        return f"{self.get_base_url()}/kommune/invitation/preview/{self.id}"

    # Audience and campaign

    def _get_unregistered_domain(self):
        """People not registered for this training: an invitation would find their
        registration. Invited people who did not answer and cancelled registrations are
        no registrations here (invited again)."""
        self.ensure_one()
        return Domain(
            "training_registration_ids",
            "not any",
            [("training_id", "=", self.id), ("state", "not in", ("invited", "cancelled"))],
        )

    def _get_invitation_recipient_domain(self, audience_domain):
        """The persons of ``audience_domain`` who get the campaign: not registered, and
        invitable by the training's company (kommune.consent.mixin._kommune_invitable_domain)."""
        self.ensure_one()
        return (
            Domain(audience_domain)
            & self._get_unregistered_domain()
            & self.env["res.partner"]._kommune_invitable_domain(self.company_id)
        )

    @api.model
    def _get_invitation_langs(self, lang_codes=None):
        """The languages of a campaign, the fallback (for every other language) first.

        German and English texts ship; by default a campaign speaks those of them that
        are installed, German first - the network's language."""
        installed = [code for code, _name in self.env["res.lang"].get_installed()]
        wanted = lang_codes or DEFAULT_CAMPAIGN_LANGS
        langs = sorted(
            (code for code in dict.fromkeys(wanted) if code in installed),
            key=lambda code: (
                DEFAULT_CAMPAIGN_LANGS.index(code)
                if code in DEFAULT_CAMPAIGN_LANGS
                else len(DEFAULT_CAMPAIGN_LANGS)
            ),
        )
        return langs or [self.env.lang if self.env.lang in installed else installed[0]]

    @api.model
    def _get_invitation_lang_domains(self, recipient_domain, langs):
        """Split a campaign's recipients by language: one domain per language; the first
        language also takes everybody whose language has no text of its own."""
        fallback, *others = langs
        domains = {fallback: recipient_domain & Domain("lang", "not in", others)}
        for lang in others:
            domains[lang] = recipient_domain & Domain("lang", "=", lang)
        return domains

    def _render_invitation_mail(self, lang):
        """Subject and mailing body of the invitation in ``lang``.

        The text comes from the mail template "Training: Campaign Invitation" (editable,
        translated), rendered now with the training's dates, venue and description. Two
        parts stay dynamic for the mailing, which renders them again for each recipient:
        the element with the class ``o_kommune_recipient_name`` becomes their name, the
        link with the class ``o_kommune_invitation_link`` their personal registration link
        (res.partner.training_invitation_link).
        """
        self.ensure_one()
        # The invitation names no video conference (see kommune.training._get_schedule).
        template = self.env.ref(CAMPAIGN_TEMPLATE_XMLID).with_context(
            kommune_schedule_without_online=True
        )
        subject = template._render_field("subject", self.ids, set_lang=lang)[self.id]
        body = template._render_field("body_html", self.ids, set_lang=lang)[self.id]
        root = lxml.html.fragment_fromstring(body or "<p></p>", create_parent="div")
        # Only whitelisted expressions (t-out of a field or of the link) keep the mailing
        # editable by staff who are no mail template editors (see res.partner).
        for node in root.xpath(_xpath_class("o_kommune_recipient_name")):
            node.tag = "t"
            node.attrib.clear()
            node.set("t-out", "object.name")
        links = root.xpath(_xpath_class("o_kommune_invitation_link", tag="a"))
        if not links:
            # A template edited without the link still invites with one.
            paragraph = lxml.html.Element("p")
            paragraph.append(lxml.html.Element("a"))
            root.append(paragraph)
            links = paragraph.getchildren()
        for link in links:
            tail = link.tail
            link.clear()
            link.tag = "t"
            link.set("t-out", self.env["res.partner"].TRAINING_INVITATION_LINK_EXPRESSION)
            link.tail = tail
        return subject, Markup(lxml.html.tostring(root, encoding="unicode"))

    def _get_invitation_email_from(self):
        self.ensure_one()
        email_from = (
            self.user_id.email_formatted
            or self.company_id.email_formatted
            or self.env.user.email_formatted
        )
        if not email_from:
            raise UserError(
                self.env._(
                    "Invitations need a sender: give the responsible of “%(training)s” or "
                    "the company an e-mail address.",
                    training=self.name,
                )
            )
        return email_from

    def _create_invitation_campaign(self, audience_domain, lang_codes=None, title=None):
        """Create the invitation campaign of this training for an audience: one
        ``utm.campaign`` reporting as one, with one draft mailing per language on the
        persons (``res.partner``) of the audience who get invitations.

        Mailings stay drafts (review, test, send from the campaign); languages without
        recipients get none.

        :param audience_domain: domain on ``res.partner`` (see kommune.campaign.invite)
        :param lang_codes: languages of the campaign, fallback first (default: German and
            English, as installed)
        :param str title: the campaign's name
        :return: the ``utm.campaign``
        """
        self.ensure_one()
        if self.is_cancelled or self.is_finished:
            raise UserError(
                self.env._(
                    "“%(training)s” is over or has been called off: nobody can be invited "
                    "any more.",
                    training=self.name,
                )
            )
        Partner = self.env["res.partner"]
        langs = self._get_invitation_langs(lang_codes)
        domains = self._get_invitation_lang_domains(
            self._get_invitation_recipient_domain(audience_domain), langs
        )
        domains = {lang: domain for lang, domain in domains.items() if Partner.search_count(domain)}
        if not domains:
            raise UserError(
                self.env._(
                    "Nobody in this audience can be invited to “%(training)s”: everyone is "
                    "already registered, has no e-mail address, does not want invitations "
                    "or has not consented to them.",
                    training=self.name,
                )
            )
        campaign = self.env["utm.campaign"].create(
            {
                "title": title or self.env._("Invitation: %(training)s", training=self.name),
                "training_id": self.id,
                "user_id": self.env.user.id,
            }
        )
        email_from = self._get_invitation_email_from()
        lang_names = dict(self.env["res.lang"].get_installed())
        partner_model_id = self.env["ir.model"]._get_id("res.partner")
        mailing_vals = []
        for lang, domain in domains.items():
            subject, body = self._render_invitation_mail(lang)
            mailing_vals.append(
                {
                    "name": f"{campaign.title} ({lang_names.get(lang, lang)})",
                    "subject": subject,
                    "body_arch": body,
                    "body_html": body,
                    "mailing_model_id": partner_model_id,
                    "mailing_domain": repr(list(domain)),
                    "campaign_id": campaign.id,
                    "training_id": self.id,
                    "campaign_lang": lang,
                    "email_from": email_from,
                    "reply_to_mode": "new",
                    "reply_to": email_from,
                    "user_id": self.env.user.id,
                }
            )
        self.env["mailing.mailing"].create(mailing_vals)
        return campaign
