import base64
import csv
import io
import unicodedata
from collections import defaultdict

import xlsxwriter

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.misc import hmac

from ..controllers.kommune_public import JOINERS
from ..models.kommune_participant_questionnaire import ANNEX_ANSWERS, SPECIAL_CATEGORIES

PSEUDONYM_SCOPE = "kommune_interkulturell.reporting_pseudonym"
# Spreadsheets read a cell starting with one of these as a formula (as Odoo's own CSV
# export does, such a cell is quoted).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """``value`` as a spreadsheet shows it, never run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return f"'{value}"
    return value


class KommuneReportingExport(models.TransientModel):
    """The files the funder receives for a period: the indicator table (XLSX) and the
    pseudonymised participant list (CSV) for the funder's database.

    Both are computed when downloaded and never stored. The participant list carries no
    names: each person is a pseudonym that stays the same within a period (a keyed hash
    of person and period, the key being the database secret) and differs between
    periods; persons whose questionnaires give the same first name, last name and
    postcode are flagged as possible duplicates."""

    _name = "kommune.reporting.export"
    _description = "Funder Reporting: Export"

    period_id = fields.Many2one("kommune.funding.period", string="Funding Period", required=True)
    # Each file is computed only when it is downloaded, the names without either.
    xlsx_file = fields.Binary(string="Indicator Table", compute="_compute_xlsx_file")
    xlsx_filename = fields.Char(compute="_compute_filenames")
    csv_file = fields.Binary(string="Participant List", compute="_compute_csv_file")
    csv_filename = fields.Char(compute="_compute_filenames")

    @api.depends("period_id.name")
    def _compute_filenames(self):
        for wizard in self:
            name = wizard.period_id.name
            slug = "".join(char if char.isalnum() else "_" for char in name or "")
            wizard.xlsx_filename = f"indicators_{slug}.xlsx" if name else False
            wizard.csv_filename = f"participants_{slug}.csv" if name else False

    @api.depends("period_id")
    def _compute_xlsx_file(self):
        for wizard in self:
            wizard.xlsx_file = (
                base64.b64encode(wizard._get_indicator_table()) if wizard.period_id else False
            )

    @api.depends("period_id")
    def _compute_csv_file(self):
        for wizard in self:
            wizard.csv_file = (
                base64.b64encode(wizard._get_participant_list()) if wizard.period_id else False
            )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_download_xlsx(self):
        return self._download("xlsx_file", "xlsx_filename")

    def action_download_csv(self):
        return self._download("csv_file", "csv_filename")

    def _download(self, fname, filename_field):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/{fname}/{self[filename_field]}"
            "?download=true",
            "target": "self",
        }

    # ------------------------------------------------------------
    # INDICATOR TABLE
    # ------------------------------------------------------------

    def _get_indicator_table(self):
        """XLSX: the figures per period and quarter, then one sheet per table of the
        period's report data (the participants' breakdowns, the cooperations by stage
        and district, and whatever bridges add)."""
        self.ensure_one()
        period = self.period_id
        data = period._get_report_data()
        output = io.BytesIO()
        # Names typed by users (periods, districts, stages) are text, never formulas.
        workbook = xlsxwriter.Workbook(output, {"in_memory": True, "strings_to_formulas": False})
        bold = workbook.add_format({"bold": True})
        sheet = workbook.add_worksheet(self.env._("Indicators"))
        sheet.set_column(0, 0, 40)
        sheet.write(0, 0, period.name, bold)
        header = [self.env._("Indicator"), self.env._("Period"), *data["quarters"]]
        sheet.write_row(1, 0, header, bold)
        for row, (label, values) in enumerate(data["indicators"], start=2):
            sheet.write(row, 0, label)
            sheet.write_row(row, 1, values)
        for section in data["sections"]:
            section_sheet = workbook.add_worksheet(section["title"][:31])
            section_sheet.set_column(0, 1, 35)
            section_sheet.write_row(0, 0, section["header"], bold)
            for row, values in enumerate(section["rows"], start=1):
                section_sheet.write_row(row, 0, values)
        workbook.close()
        return output.getvalue()

    # ------------------------------------------------------------
    # PARTICIPANT LIST
    # ------------------------------------------------------------

    def _get_pseudonym(self, partner_id):
        # env(su=True) only reads the database secret, the key of the hash.
        return hmac(self.env(su=True), PSEUDONYM_SCOPE, f"{self.period_id.id}:{partner_id}")[:16]

    @api.model
    def _duplicate_key(self, questionnaire):
        parts = (questionnaire.first_name, questionnaire.last_name, questionnaire.zip)
        if not all(parts):
            return None
        # Blanks and Persian's joiners are how a name is typed, not who it names.
        return tuple(
            "".join(
                char
                for char in unicodedata.normalize("NFKC", part).casefold()
                if not char.isspace() and char not in JOINERS
            )
            for part in parts
        )

    def _get_participant_list(self):
        """CSV: one row per participant of the period (short contacts are only an
        aggregate), without names."""
        self.ensure_one()
        period = self.period_id
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT participant_id, SUM(hours), COUNT(DISTINCT registration_id),
                       MIN(date)
                  FROM kommune_reporting_attendance
                 WHERE period_id = %s AND participant_id IS NOT NULL
                 GROUP BY participant_id
                 ORDER BY participant_id
                """,
                period.id,
            )
        )
        rows = self.env.cr.fetchall()
        questionnaires = {
            questionnaire.partner_id.id: questionnaire
            for questionnaire in self.env["kommune.participant.questionnaire"].search(
                [("period_id", "=", period.id), ("partner_id", "in", [row[0] for row in rows])]
            )
        }
        by_key = defaultdict(list)
        for partner_id, questionnaire in questionnaires.items():
            key = self._duplicate_key(questionnaire)
            if key:
                by_key[key].append(partner_id)
        duplicate_of = {
            partner_id: min(partner_ids)
            for partner_ids in by_key.values()
            if len(partner_ids) > 1
            for partner_id in partner_ids
        }
        special = self.env.user.has_group("kommune_interkulturell.group_kommune_reporting")
        columns = [
            "pseudonym",
            "period",
            "entry_date",
            *ANNEX_ANSWERS,
            *(SPECIAL_CATEGORIES if special else ()),
            "hours",
            "attendances",
            "possible_duplicate_of",
        ]
        output = io.StringIO()
        writer = csv.writer(output, lineterminator="\n")
        writer.writerow(columns)
        for partner_id, hours, attendances, first_day in rows:
            questionnaire = questionnaires.get(partner_id)
            answers = [
                (questionnaire[fname] or "") if questionnaire else ""
                for fname in ANNEX_ANSWERS + (SPECIAL_CATEGORIES if special else ())
            ]
            entry = (questionnaire and questionnaire.date_entry) or first_day
            twin = duplicate_of.get(partner_id)
            writer.writerow(
                csv_safe(value)
                for value in [
                    self._get_pseudonym(partner_id),
                    period.name,
                    entry.isoformat() if entry else "",
                    *answers,
                    f"{float(hours):g}",
                    attendances,
                    self._get_pseudonym(twin) if twin and twin != partner_id else "",
                ]
            )
        return output.getvalue().encode("utf-8-sig")
