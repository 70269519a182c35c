from . import kommune_development_check_send
from . import survey_invite
