import io

import openpyxl

from odoo.tools.misc import file_open

from .common import KommuneCommon

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_ORGANIZATIONS = (
    "kommune_interkulturell/static/xls/kommune_organizations_import_template.xlsx"
)
TEMPLATE_PERSONS = "kommune_interkulturell/static/xls/kommune_persons_import_template.xlsx"


class KommuneImportCommon(KommuneCommon):
    """Imports through Odoo's importer as the import dialog drives it: upload the file,
    let the preview match the columns, import."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Staff work in German: the hand-filled columns hold German labels.
        cls.env["res.lang"]._activate_lang("de_DE")
        cls.user.lang = "de_DE"
        cls.manager.lang = "de_DE"

    @staticmethod
    def read_template(path):
        with file_open(path, "rb") as template:
            return template.read()

    @staticmethod
    def edit_xlsx(content, rows):
        """The spreadsheet with its example rows replaced by ``rows`` (header kept)."""
        book = openpyxl.load_workbook(io.BytesIO(content))
        sheet = book.active
        sheet.delete_rows(2, sheet.max_row)
        for row in rows:
            sheet.append(row)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    def import_file(self, content, user=None, dryrun=False):
        user = user or self.user
        # As the web client calls it: in the user's language.
        env = self.env(user=user, context=dict(self.env.context, lang=user.lang))
        importer = env["base_import.import"].create(
            {"res_model": "res.partner", "file": content, "file_type": XLSX, "file_name": "t.xlsx"}
        )
        options = {"has_headers": True, "quoting": '"', "separator": ",", "date_format": ""}
        preview = importer.parse_preview(options)
        self.assertFalse(preview.get("error"), preview.get("error"))
        headers = preview["headers"]
        matches = preview["matches"] or {}
        fields = ["/".join(matches.get(index, [])) or False for index in range(len(headers))]
        self.assertTrue(all(fields), f"every column of the template is matched: {headers} {fields}")
        options.update(
            {
                "import_skip_records": [],
                "import_set_empty_fields": [],
                "fallback_values": {},
                "name_create_enabled_fields": {},
                "float_thousand_separator": ".",
                "float_decimal_separator": ",",
                "advanced": False,
                "keep_matches": False,
                "limit": 2000,
                "skip": 0,
            }
        )
        return importer.execute_import(fields, headers, options, dryrun=dryrun)
