import base64
import json

from markupsafe import Markup

from odoo import api, fields, models

PERSONAL_DATA_REPORT = "kommune_interkulturell.action_report_personal_data"


class KommunePersonalDataExport(models.TransientModel):
    """Subject access (Art. 15 DSGVO): what the network holds about a person, as a
    machine-readable JSON file and as a readable PDF. Every export is logged.

    The JSON file is computed when it is downloaded and never stored: no copy of the
    data stays behind in the database or the filestore."""

    _name = "kommune.personal.data.export"
    _description = "Subject Access: Export Personal Data"

    partner_id = fields.Many2one("res.partner", string="Person", required=True, readonly=True)
    summary = fields.Html(compute="_compute_summary", sanitize=False)
    json_file = fields.Binary(string="JSON File", compute="_compute_json_file")
    json_filename = fields.Char(compute="_compute_json_file")

    @api.depends("partner_id")
    def _compute_summary(self):
        for wizard in self:
            if not wizard.partner_id:
                wizard.summary = False
                continue
            partner = wizard.partner_id
            privacy = self.env["kommune.privacy"]
            lookup = privacy._get_personal_lookup(partner)
            lines = Markup("").join(
                Markup("<li>%s: %s</li>") % (title, len(records))
                for _key, title, records in privacy._get_personal_records(partner, lookup)
                if records
            )
            wizard.summary = Markup("<ul>%s</ul>") % lines
            if others := sum(len(ids) for ids in lookup[1].values()):
                wizard.summary += Markup("<p>%s</p>") % self.env._(
                    "Odoo's privacy lookup also found %(count)s record(s) by the same name "
                    "or address only. They are not included: check with the lookup whether "
                    "they are the same person's.",
                    count=others,
                )

    @api.depends("partner_id")
    def _compute_json_file(self):
        for wizard in self:
            if not wizard.partner_id:
                wizard.json_file = wizard.json_filename = False
                continue
            wizard.json_file = base64.b64encode(wizard._get_json().encode())
            wizard.json_filename = wizard._get_filename("json")

    def action_download_json(self):
        self.ensure_one()
        self._log_access()
        filename = self._get_filename("json")
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/json_file/{filename}?download=true",
            "target": "self",
        }

    def action_print_pdf(self):
        self.ensure_one()
        self._log_access()
        return self.env.ref(PERSONAL_DATA_REPORT).report_action(self.partner_id, config=False)

    def _get_json(self):
        """The export as a JSON document: sections by key, records as objects."""
        self.ensure_one()
        partner = self.partner_id
        sections = {
            key: [{fname: value for fname, _label, value, _display in row} for row in rows]
            for key, _title, rows in self.env["kommune.privacy"]._get_personal_data(partner)
        }
        sections["person"] = sections["person"][0] if sections["person"] else {}
        document = {
            "exported_on": fields.Datetime.now().isoformat(),
            "exported_by": self.env.user.name,
            "controller": self.env.company.name,
            "person_id": partner.id,
            "data": sections,
        }
        return json.dumps(document, ensure_ascii=False, indent=2, default=str)

    def _get_filename(self, extension):
        # No name in it: the download URL carries the filename into the server's logs.
        return f"personal-data-{self.partner_id.id}.{extension}"

    def _log_access(self):
        """Every export is logged: in the network's log and, for the person, in Odoo's
        privacy log with what the lookup found."""
        partner = self.partner_id
        privacy = self.env["kommune.privacy"]
        privacy._check_manager()
        self.env["kommune.privacy.log"]._log("access", partner=partner, person_count=1)
        privacy._log_privacy_lookup(
            {partner.id: privacy._get_personal_lookup(partner)},
            {partner.id: (partner.name, partner.email_normalized)},
            self.env._("Subject access (Art. 15 DSGVO)"),
            self.env.user,
        )
