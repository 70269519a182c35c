from . import kommune_public
from . import kommune_subscription
from . import kommune_questionnaire
