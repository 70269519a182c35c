from . import kommune_development_check
from . import kommune_development_goal
from . import res_partner
