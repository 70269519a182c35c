from . import kommune_development_dimension
from . import kommune_development_check
from . import kommune_development_check_line
from . import survey_survey
from . import survey_question
from . import res_partner
from . import survey_user_input
