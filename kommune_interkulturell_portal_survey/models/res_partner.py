from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def write(self, vals):
        res = super().write(vals)
        # The contact persons' record rules name their organisation through their
        # commercial partner, and Odoo caches each user's rule domains. A contact
        # person who moves loses the role (kommune_interkulturell_portal), which clears
        # the caches; one given their first organisation, or whose organisation
        # becomes or stops being a company, keeps it and must read that organisation's
        # self-checks at once, not once the cache happens to be cleared.
        if {"parent_id", "is_company"} & vals.keys() and self._kommune_has_users_below():
            self.env.registry.clear_cache()
        return res

    def _kommune_has_users_below(self):
        # sudo: whether anybody below these contacts has a user, whoever changes them.
        partners = self.sudo()
        return bool(
            partners.search_count(
                [("id", "child_of", self.ids), ("user_ids", "!=", False)], limit=1
            )
        )
