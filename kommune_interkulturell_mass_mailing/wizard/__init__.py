from . import kommune_campaign_invite
from . import mail_compose_message
from . import base_partner_merge_automatic_wizard
from . import privacy_lookup_wizard
