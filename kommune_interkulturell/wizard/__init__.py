from . import kommune_cooperation_close
from . import kommune_training_invite
from . import kommune_personal_data_export
from . import kommune_partner_anonymize
from . import base_partner_merge_automatic_wizard
from . import privacy_lookup_wizard
from . import kommune_consent_record
from . import kommune_reporting_export
