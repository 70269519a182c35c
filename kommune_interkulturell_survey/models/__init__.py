from . import kommune_development_dimension
from . import survey_survey
from . import survey_question
