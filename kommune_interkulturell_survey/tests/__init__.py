from . import test_development_check
from . import test_development_check_send
from . import test_development_goal
from . import test_development_progress
from . import test_development_recommendation
from . import test_development_templates
from . import test_i18n
from . import test_training_feedback
