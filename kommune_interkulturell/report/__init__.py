from . import kommune_training_certificate
from . import res_partner_personal_data
from . import kommune_funding_period_summary
