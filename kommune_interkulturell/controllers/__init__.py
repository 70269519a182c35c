from . import kommune_public
from . import kommune_subscription
from . import calendar
from . import kommune_questionnaire
