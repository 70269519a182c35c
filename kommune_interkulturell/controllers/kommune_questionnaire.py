"""The participant questionnaire filled in by the person themselves, through the personal
link staff mailed them (kommune.participant.questionnaire, "Send Questionnaire Link").

GET shows the form, POST saves it. The link travels by e-mail, and whoever holds it must
not learn the person's data: no stored answer is shown back (the page only says that a
question is answered, and an empty answer keeps it), and the link ends with the first
saved form (the person corrects an answer through staff, who may send a new link).
Disability and minority (special categories, Art. 9 DSGVO) are asked only beside a
consent checkbox of their own."""

import re

from odoo import http
from odoo.http import request

from ..models.kommune_participant_questionnaire import (
    ANNEX_ANSWERS,
    NO_ANSWER,
    REQUIRED_ANSWERS,
    SPECIAL_CATEGORIES,
)
from .kommune_public import (
    CHECKED_VALUES,
    MAX_FORM_BYTES,
    NAME_MAX_LENGTH,
    KommunePublicController,
    is_plain_text,
)

NAME_FIELDS = ("first_name", "last_name")
# A postcode of the residence, German or foreign (letters, digits, a blank or hyphen).
ZIP_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 -]{1,9}")


class KommuneQuestionnaireController(KommunePublicController):
    @http.route(
        "/kommune/questionnaire/<string:token>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        sitemap=False,
        max_content_length=MAX_FORM_BYTES,
    )
    def questionnaire(self, token, **post):
        submitted = request.httprequest.method == "POST"
        if refused := self._check_request(post, token):
            return refused
        # sudo: the public user may not read questionnaires; the record is only looked
        # at once the link's signature has proven which questionnaire it was sent for.
        questionnaire, expired = (
            request.env["kommune.participant.questionnaire"].sudo()._get_from_self_fill_token(token)
        )
        if error := self._get_link_error(
            questionnaire,
            expired,
            "questionnaire_expired",
            values=self._get_company_values(questionnaire),
        ):
            return error
        self._set_lang(questionnaire.partner_id)
        if not submitted:
            return self._render_questionnaire_page(token, questionnaire)
        values, errors = self._validate_questionnaire_form(questionnaire, post)
        if values is None:
            return self._render_error(
                "bad_request",
                status=400,
                partner=questionnaire.partner_id,
                values=self._get_company_values(questionnaire),
            )
        if errors:
            return self._render_questionnaire_page(
                token, questionnaire, form=post, errors=errors, status=400
            )
        questionnaire._self_fill_submit(values)
        return self._render_questionnaire_page(token, questionnaire, saved=True)

    # ------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------

    def _get_choices(self, questionnaire, fname):
        return questionnaire._fields[fname]._description_selection(request.env)

    def _validate_questionnaire_form(self, questionnaire, post):
        """The values to write and ``{field: True}`` of the answers to correct, or
        ``(None, None)`` when the form cannot come from our page (a choice that is not
        on it)."""
        values, errors = {}, {}
        # An empty answer keeps the stored one, which the page does not show.
        answered = self._get_answered(questionnaire)
        for fname in NAME_FIELDS:
            name = " ".join((post.get(fname) or "").split())
            if not name and fname in answered:
                continue
            if not name or len(name) > NAME_MAX_LENGTH or not is_plain_text(name):
                errors[fname] = True
            values[fname] = name
        zip_code = (post.get("zip") or "").strip()
        if zip_code or "zip" not in answered:
            if not ZIP_RE.fullmatch(zip_code):
                errors["zip"] = True
            values["zip"] = zip_code
        for fname in (*ANNEX_ANSWERS, *SPECIAL_CATEGORIES):
            value = post.get(fname) or ""
            if value and value not in dict(self._get_choices(questionnaire, fname)):
                return None, None
            if not value and fname in ANNEX_ANSWERS:
                if fname in answered:
                    continue
                errors[fname] = True
            values[fname] = value or False
        # The special categories only with the tick of their own consent, and only the
        # questions answered: the stored answers are not shown, so an empty question
        # keeps its earlier answer (and consent).
        # "No answer" discloses nothing and needs no consent (as in the model).
        special = {fname: values.pop(fname) for fname in SPECIAL_CATEGORIES}
        values.update({fname: value for fname, value in special.items() if value == NO_ANSWER[0]})
        disclosed = {
            fname: value for fname, value in special.items() if value and value != NO_ANSWER[0]
        }
        if disclosed and post.get("special_consent") in CHECKED_VALUES:
            values.update(disclosed, special_consent=True)
        elif disclosed:
            errors["special_consent"] = True
        return values, errors

    def _get_company_values(self, questionnaire):
        """The questionnaire's organisation in the layout, not the request's (another
        company's name and logo on the page in a multi-company database)."""
        # sudo: the company's name, logo and address are public on every page.
        company = questionnaire.company_id.sudo()
        return {"company": company, "title": company.name}

    def _get_answered(self, questionnaire):
        """The questions (not special categories) with a stored answer, to say so on the
        page without showing it."""
        return {fname for fname in REQUIRED_ANSWERS if questionnaire[fname]}

    def _render_questionnaire_page(
        self, token, questionnaire, form=None, errors=None, saved=False, status=200
    ):
        values = self._get_layout_values()
        values.update(self._get_company_values(questionnaire))
        values.update(
            {
                "token": token,
                "questionnaire": questionnaire,
                "period_name": questionnaire.period_id.name,
                "questions": [
                    (
                        fname,
                        questionnaire._fields[fname]._description_string(request.env),
                        self._get_choices(questionnaire, fname),
                        questionnaire._fields[fname]._description_help(request.env),
                    )
                    for fname in ANNEX_ANSWERS
                ],
                "special_questions": [
                    (
                        fname,
                        questionnaire._fields[fname]._description_string(request.env),
                        self._get_choices(questionnaire, fname),
                    )
                    for fname in SPECIAL_CATEGORIES
                ],
                "form": form or {},
                "answered": self._get_answered(questionnaire),
                "errors": errors or {},
                "saved": saved,
                "expiry": questionnaire.self_fill_expiry,
            }
        )
        return request.render("kommune_interkulturell.questionnaire_page", values, status=status)
