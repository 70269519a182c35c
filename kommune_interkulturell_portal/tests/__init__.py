from . import test_portal_security
