from . import test_access_rights, test_i18n, test_res_partner, test_ui
