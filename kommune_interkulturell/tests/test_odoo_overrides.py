"""Overrides of Odoo's methods keep their calling convention.

The RPC layer (odoo.service.model.call_kw) takes @api.model from the final method only:
an override that leaves it out turns a model method into a record method, and the web
client's calls, which send no ids, fail. Mail's dynamic placeholder popover never opened
that way (res.partner.mail_allowed_qweb_expressions, kommune_interkulturell_mass_mailing).
The check covers every addon of the repo that is installed."""

from odoo.tests import TransactionCase, tagged

REPO_ADDONS_PACKAGE = "odoo.addons.kommune_interkulturell"  # the app and its bridges


@tagged("post_install", "-at_install")
class TestOdooOverrides(TransactionCase):
    def test_overrides_keep_api_model(self):
        dropped = set()
        for model_name in self.env.registry:
            mro = type(self.env[model_name]).mro()
            for index, klass in enumerate(mro):
                if not klass.__module__.startswith(REPO_ADDONS_PACKAGE):
                    continue
                for name, method in vars(klass).items():
                    if not callable(method) or getattr(method, "_api_model", False):
                        continue
                    if any(
                        getattr(vars(base).get(name), "_api_model", False)
                        for base in mro[index + 1 :]
                    ):
                        dropped.add(f"{model_name}.{name} in {klass.__module__}")
        self.assertFalse(sorted(dropped), "overrides that drop @api.model")
