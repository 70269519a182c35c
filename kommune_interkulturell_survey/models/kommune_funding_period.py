from collections import defaultdict

from odoo import api, fields, models
from odoo.addons.kommune_interkulturell.models.kommune_participant_questionnaire import (
    REPORTING_TZ,
)
from odoo.tools import SQL

from .survey_question import RATING_LINE_DOMAIN

# The average of one or two anonymous answers is the respondents' own rating: the files
# for the funder give the number of answers only.
MIN_RATING_ANSWERS = 3


class KommuneFundingPeriod(models.Model):
    """The satisfaction with the period's trainings, from their anonymous feedback
    surveys, in the funder reporting: a card of the period, rows of the indicator
    table and a table per topic in the XLSX and the PDF summary.

    A training's feedback counts in the quarter its last session ended (as its
    certificates). Only counts and averages leave the answers: nobody is named."""

    _inherit = "kommune.funding.period"

    feedback_answer_count = fields.Integer(
        string="Feedback Answers",
        compute="_compute_feedback_figures",
        help="Completed answers to the feedback surveys of the trainings that ended in "
        "the period (anonymous: only counted).",
    )
    feedback_rating = fields.Float(
        string="Satisfaction",
        digits=(3, 2),
        compute="_compute_feedback_figures",
        help="Average points (1 to 4) of the statements answered in the feedback of "
        "the trainings that ended in the period; statements left out do not count. "
        "Only for the Reporting group when a training behind it has fewer than three "
        "answers.",
    )
    feedback_rating_withheld = fields.Boolean(
        string="Too Few Answers",
        compute="_compute_feedback_figures",
        help="The period, or a training of it, has fewer than three answers rating a "
        "statement: the average would tell (directly, or against the other trainings' "
        "averages) what those participants answered. Only the Reporting group sees it, "
        "as in the dashboard.",
    )

    @api.depends_context("uid")
    def _compute_feedback_figures(self):
        exact = self.env.user.has_group("kommune_interkulturell.group_kommune_reporting")
        figures = self._get_feedback_figures_by_period()
        # A training's average is withheld below three answers (see kommune.training):
        # the period's would give it away by subtraction from the others'.
        few_answers = set()
        if not exact:
            training_ids = {
                training_id
                for period_figures in figures.values()
                for training_id in period_figures["training_ids"]
            }
            few_answers = set(
                self.env["kommune.training"]
                .browse(training_ids)
                .filtered("feedback_rating_withheld")
                .ids
            )
        for period in self:
            period_figures = figures.get(period.id)
            answers, rating = period_figures["period"] if period_figures else (0, 0.0)
            rated = period_figures["rated_answers"]["period"] if period_figures else 0
            withheld = not exact and bool(
                0 < rated < MIN_RATING_ANSWERS
                or few_answers.intersection(
                    period_figures["training_ids"] if period_figures else ()
                )
            )
            period.feedback_answer_count = answers
            period.feedback_rating_withheld = withheld
            period.feedback_rating = 0.0 if withheld else rating

    def _get_feedback_figures(self):
        """The feedback of the trainings that ended in the period, in one query:

        :return: dict of ``period`` and ``quarters`` (``{label: ...}``) and ``topics``
            (``{topic id or None: ...}``), each an ``(answers, average points)``,
            ``rated_answers`` (``{"period": n, "quarters": {...}, "topics": {...}}``:
            the answers rating at least one statement, those whose average would be
            told) and ``training_ids`` (trainings with feedback in the period)
        """
        self.ensure_one()
        return self._get_feedback_figures_by_period()[self.id]

    def _get_feedback_figures_by_period(self):
        """:meth:`_get_feedback_figures` of every period of ``self`` (saved ones), in
        one query: ``{period id: figures}``."""
        periods = self.filtered("id")
        if not periods:
            return {}
        self.env.flush_all()
        local_day = SQL("(t.date_end AT TIME ZONE 'UTC' AT TIME ZONE %s)::date", REPORTING_TZ)
        # Only the points of rating statements count, as for the training's own results.
        # sudo: the rule as a subquery, in the query below; no answer is read here.
        rating_lines = self.env["survey.user_input.line"].sudo()._search(RATING_LINE_DOMAIN)
        # In SQL, as the training's own results: survey's tables are not readable by
        # project users, and only the counts and sums leave the database.
        self.env.cr.execute(
            SQL(
                """
                SELECT p.id, to_char(%(day)s, 'YYYY') || '-Q' || to_char(%(day)s, 'Q'),
                       t.topic_id, ARRAY_AGG(DISTINCT t.id), COUNT(DISTINCT ui.id),
                       COALESCE(SUM(a.answer_score), 0), COUNT(a.id),
                       COUNT(DISTINCT l.user_input_id)
                  FROM kommune_funding_period p
                  JOIN kommune_training t
                    ON t.company_id = p.company_id
                   AND %(day)s BETWEEN p.date_start AND p.date_end
                  JOIN survey_user_input ui ON ui.survey_id = t.feedback_survey_id
                  LEFT JOIN survey_user_input_line l
                         ON l.user_input_id = ui.id AND l.id IN %(rating_lines)s
                  LEFT JOIN survey_question_answer a ON a.id = l.suggested_answer_id
                 WHERE p.id IN %(periods)s AND ui.state = 'done'
                   AND NOT COALESCE(ui.test_entry, FALSE)
                 GROUP BY 1, 2, 3
                """,
                day=local_day,
                rating_lines=rating_lines.subselect(),
                periods=tuple(periods.ids) or (None,),
            )
        )
        sums = {
            period_id: {
                "period": [0, 0.0, 0, 0],
                "quarters": defaultdict(lambda: [0, 0.0, 0, 0]),
                "topics": defaultdict(lambda: [0, 0.0, 0, 0]),
                "training_ids": set(),
            }
            for period_id in periods.ids
        }
        for row in self.env.cr.fetchall():
            period_id, quarter, topic_id, trainings, answers, points, statements, rated = row
            figures = sums[period_id]
            figures["training_ids"].update(trainings)
            for total in (
                figures["period"],
                figures["quarters"][quarter],
                figures["topics"][topic_id],
            ):
                total[0] += answers
                total[1] += points
                total[2] += statements
                total[3] += rated

        def result(total):
            answers, points, statements, _rated = total
            return answers, (points / statements if statements else 0.0)

        return {
            period_id: {
                "period": result(figures["period"]),
                "quarters": {label: result(total) for label, total in figures["quarters"].items()},
                "topics": {
                    topic_id: result(total) for topic_id, total in figures["topics"].items()
                },
                "rated_answers": {
                    "period": figures["period"][3],
                    "quarters": {label: total[3] for label, total in figures["quarters"].items()},
                    "topics": {topic_id: total[3] for topic_id, total in figures["topics"].items()},
                },
                "training_ids": sorted(figures["training_ids"]),
            }
            for period_id, figures in sums.items()
        }

    def _get_report_data(self):
        data = super()._get_report_data()
        feedback = self._get_feedback_figures()
        per_quarter = [feedback["quarters"].get(label, (0, 0.0)) for label in data["quarters"]]
        answers, rating = feedback["period"]
        rated = feedback["rated_answers"]
        data["indicators"] += [
            (
                self._fields["feedback_answer_count"]._description_string(self.env),
                [answers] + [quarter[0] for quarter in per_quarter],
            ),
            (
                self.env._("Satisfaction (average, 1 to 4)"),
                [self._format_feedback_rating(rated["period"], rating)]
                + [
                    self._format_feedback_rating(rated["quarters"].get(label, 0), quarter[1])
                    for label, quarter in zip(data["quarters"], per_quarter, strict=True)
                ],
            ),
        ]
        # All the topics at once: one read of their names, however many.
        topic_names = {
            topic.id: topic.display_name
            for topic in self.env["kommune.training.topic"].browse(
                [topic_id for topic_id in feedback["topics"] if topic_id]
            )
        }
        data["sections"].append(
            {
                "key": "satisfaction_by_topic",
                "title": self.env._("Satisfaction by Topic"),
                "header": [
                    self.env._("Topic"),
                    self.env._("Feedback Answers"),
                    self.env._("Satisfaction (average, 1 to 4)"),
                ],
                "rows": sorted(
                    [
                        topic_names[topic_id] if topic_id else self.env._("No topic"),
                        topic_answers,
                        self._format_feedback_rating(rated["topics"][topic_id], topic_rating),
                    ]
                    for topic_id, (topic_answers, topic_rating) in feedback["topics"].items()
                ),
            }
        )
        return data

    def _format_feedback_rating(self, rated_answers, rating):
        """The average as the funder's files show it: ``"n < 3"`` instead of the
        average of one or two answers rating a statement (others may be there, all
        left out or "cannot say": they tell nothing and hide nobody's rating)."""
        if 0 < rated_answers < MIN_RATING_ANSWERS:
            return f"n < {MIN_RATING_ANSWERS}"
        return round(rating, 2)

    def action_open_feedback(self):
        """The trainings with feedback in the period, each with its answers and
        average."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "kommune.training",
            "display_name": self.env._(
                "%(figure)s: %(period)s", figure=self.env._("Satisfaction"), period=self.name
            ),
            "views": [
                (
                    self.env.ref(
                        "kommune_interkulturell_survey.kommune_training_view_list_feedback"
                    ).id,
                    "list",
                ),
                (False, "form"),
            ],
            "domain": [("id", "in", self._get_feedback_figures()["training_ids"])],
            "context": {"active_test": False},
        }
