import difflib
import unicodedata
from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

# Names of two people of the same organisation this alike (0..1, difflib's ratio of
# the normalised names) are likely the same person: "Amina Hadad" / "Amina Haddad",
# "Haddad, Amina" / "Amina Haddad".
SIMILAR_NAME_RATIO = 0.9


def normalize_name(name):
    """Lower case, without accents, punctuation and word order: "Müller, Jürgen" and
    "jurgen muller" give the same key."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    letters = "".join(
        char.lower() if char.isalnum() else " "
        for char in decomposed
        if not unicodedata.combining(char)
    )
    return " ".join(sorted(letters.split()))


class KommunePartnerDuplicateMixin(models.AbstractModel):
    """Likely duplicates of a contact, for the form's warning (with the way to Odoo's
    merge wizard) and the "Possible Duplicates" filter: another active contact with the
    same normalised e-mail address (an organisation and its own people excepted: they
    often share info@), the same name and postcode, or - people of one organisation - a
    very similar name. Imports and hand entry are checked alike, whenever the contact
    is shown or searched.

    Inherited by res.partner only (its fields are the contact's)."""

    _name = "kommune.partner.duplicate.mixin"
    _description = "Likely Duplicates of a Contact"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    kommune_duplicate_ids = fields.Many2many(
        "res.partner",
        string="Possible Duplicates",
        compute="_compute_kommune_duplicate_ids",
        help="Other contacts that are likely the same person or organisation: same "
        "e-mail address, same name and postcode, or a very similar name in the same "
        "organisation. Merge them to keep one contact with all its records.",
    )
    kommune_has_duplicates = fields.Boolean(
        string="Has Possible Duplicates",
        compute="_compute_kommune_duplicate_ids",
        search="_search_kommune_has_duplicates",
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    def _compute_kommune_duplicate_ids(self):
        duplicates = self._kommune_get_duplicates(self._origin.ids)
        readable = self.browse(
            {dup for dups in duplicates.values() for dup in dups}
        )._filtered_access("read")
        for partner in self:
            found = self.browse(duplicates.get(partner._origin.id, ())) & readable
            partner.kommune_duplicate_ids = found
            partner.kommune_has_duplicates = bool(found)

    def _search_kommune_has_duplicates(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        duplicates = self._kommune_get_duplicates()
        # Only duplicates the user may see make a contact one: another company's
        # contacts stay out of sight, as everywhere.
        readable = set(
            self.browse({dup for dups in duplicates.values() for dup in dups})
            ._filtered_access("read")
            .ids
        )
        ids = [pid for pid, dups in duplicates.items() if dups & readable]
        positive = (operator == "in") == (True in value)
        return [("id", "in" if positive else "not in", ids)]

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    @api.readonly
    def action_kommune_merge_duplicates(self):
        """Odoo's merge wizard with the contact and its likely duplicates (it merges
        three at most); the user chooses the contact to keep there."""
        self.ensure_one()
        partners = self | self.kommune_duplicate_ids[:2]
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Merge Contacts"),
            "res_model": "base.partner.merge.automatic.wizard",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "active_model": "res.partner",
                "active_ids": partners.ids,
            },
        }

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _kommune_get_duplicates(self, partner_ids=None):
        """Likely duplicates among the active contacts, of ``partner_ids`` or of all.

        Three grouped queries, whatever the number of contacts; the similar names are
        compared within each organisation only, and only with the contacts asked for.

        :return: ``{partner id: set of the ids of its likely duplicates}``
        """
        self.env["res.partner"].flush_model(
            ["email_normalized", "name", "zip", "parent_id", "active"]
        )
        wanted = None
        if partner_ids is not None:
            if not partner_ids:
                return {}
            wanted = set(partner_ids)
        duplicates = defaultdict(set)

        def link(group):
            for partner_id in group:
                duplicates[partner_id].update(set(group) - {partner_id})

        # Same address, the organisation and its own people excepted.
        for rows in self._kommune_duplicate_groups(SQL("email_normalized"), wanted):
            for partner_id, parent_id, _name in rows:
                others = {
                    other_id
                    for other_id, other_parent_id, _other in rows
                    if other_id != partner_id
                    and other_id != parent_id
                    and other_parent_id != partner_id
                }
                duplicates[partner_id].update(others)
        # Same name and postcode.
        for rows in self._kommune_duplicate_groups(
            SQL("lower(trim(name)) || '|' || replace(zip, ' ', '')"), wanted
        ):
            link([row[0] for row in rows])
        # A very similar name among the people of one organisation: each contact asked
        # for against the others, not every pair of the organisation.
        for rows in self._kommune_duplicate_groups(SQL("parent_id::text"), wanted):
            keys = [(row[0], normalize_name(row[2])) for row in rows if row[2]]
            for index, (partner_id, key) in enumerate(keys):
                matcher = None
                for other_id, other_key in keys[index + 1 :]:
                    if wanted is not None and partner_id not in wanted and other_id not in wanted:
                        continue
                    if key == other_key:
                        link([partner_id, other_id])
                        continue
                    if matcher is None:
                        matcher = difflib.SequenceMatcher(None, b=key)
                    matcher.set_seq1(other_key)
                    # The cheap upper bounds first, as difflib.get_close_matches does.
                    if (
                        matcher.real_quick_ratio() >= SIMILAR_NAME_RATIO
                        and matcher.quick_ratio() >= SIMILAR_NAME_RATIO
                        and matcher.ratio() >= SIMILAR_NAME_RATIO
                    ):
                        link([partner_id, other_id])
        if wanted is not None:
            return {pid: dups for pid, dups in duplicates.items() if pid in wanted and dups}
        return {pid: dups for pid, dups in duplicates.items() if dups}

    @api.model
    def _kommune_duplicate_groups(self, key, partner_ids=None):
        """Rows (id, parent id, name) of the active contacts sharing ``key`` with
        another, grouped; only the groups of ``partner_ids`` if given."""
        # The keys of the contacts asked for first, then the contacts sharing them (an
        # index look-up for the e-mail and the organisation); everybody's keys only
        # when all contacts are asked for.
        if partner_ids is None:
            shared = SQL("%s IS NOT NULL", key)
        else:
            shared = SQL(
                "%(key)s IN (SELECT %(key)s FROM res_partner WHERE active AND id = ANY(%(ids)s))",
                key=key,
                ids=list(partner_ids),
            )
        self.env.cr.execute(
            SQL(
                """
                SELECT array_agg(json_build_array(id, parent_id, name))
                  FROM res_partner
                 WHERE active AND %(shared)s
              GROUP BY %(key)s
                HAVING count(*) > 1
                """,
                key=key,
                shared=shared,
            )
        )
        return [rows for (rows,) in self.env.cr.fetchall()]
