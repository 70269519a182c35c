from . import test_development_templates
from . import test_i18n
