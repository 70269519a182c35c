from . import kommune_consent
from . import kommune_training
from . import kommune_training_registration
from . import res_partner
from . import kommune_organization_proposal
from . import mail_message
from . import ir_http
from . import kommune_privacy
