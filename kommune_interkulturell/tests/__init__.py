from . import test_access_rights, test_i18n, test_res_partner, test_ui
from . import test_cooperation, test_cooperation_access_rights, test_cooperation_dialogue
from . import test_cooperation_meeting, test_cooperation_performance, test_cooperation_ui
