from datetime import datetime, timedelta

from odoo.tests import tagged

from .common_portal import PortalCommon


@tagged("post_install", "-at_install")
class TestPortalPerformance(PortalCommon):
    """The pages' queries do not grow with the number of registrations shown (no query
    per row): counted on the test cursor the server shares, never timed."""

    def count_queries(self, url):
        self.url_open(url)  # warm the caches (routing, templates, rules)
        before = self.cr.sql_log_count
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        queries = self.cr.sql_log_count - before
        self.assertGreater(queries, 3, "the server's queries are counted")
        return queries

    def add_trainings(self, count):
        Registration = self.env["kommune.training.registration"]
        for index in range(count):
            training = self.training.copy({"name": f"Portal Perf {index}", "seats_max": 1})
            start = datetime(2031, 6, 1, 8, 0) + timedelta(days=index)
            self.env["kommune.training.session"].create(
                {"training_id": training.id, "start": start, "stop": start + timedelta(hours=2)}
            )
            Registration |= training.with_context(
                kommune_training_no_mail=True
            )._register_participant(self.user_b.partner_id, consent=True)
        return Registration

    def test_my_trainings_in_constant_queries(self):
        self.login(self.user_b)
        one = self.count_queries("/my/kommune/trainings")
        self.add_trainings(6)
        self.env.flush_all()
        seven = self.count_queries("/my/kommune/trainings")
        self.assertLessEqual(seven, one + 3, f"{one} queries for one row, {seven} for seven")

    def test_organisation_page_in_constant_queries(self):
        self.login(self.contact_b)
        one = self.count_queries("/my/kommune/organization")
        self.add_trainings(6)
        self.env.flush_all()
        seven = self.count_queries("/my/kommune/organization")
        self.assertLessEqual(seven, one + 3, f"{one} queries for one row, {seven} for seven")
