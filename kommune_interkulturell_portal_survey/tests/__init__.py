from . import test_i18n
from . import test_portal_checks
from . import test_portal_checks_fuzz
from . import test_portal_checks_ui
