from . import test_i18n
from . import test_portal_catalogue
from . import test_portal_mail
from . import test_portal_organization
from . import test_portal_participant
from . import test_portal_security
from . import test_portal_self_service
from . import test_portal_ui
