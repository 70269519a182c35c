from . import test_access_rights, test_i18n, test_res_partner, test_ui
from . import test_cooperation, test_cooperation_access_rights, test_cooperation_dialogue
from . import test_cooperation_meeting, test_cooperation_performance, test_cooperation_ui
from . import test_training, test_training_session, test_training_concurrency
from . import test_training_access_rights, test_training_mail, test_training_report
from . import test_training_partner
from . import test_training_performance, test_training_ui
from . import test_consent, test_consent_registration, test_privacy_invitation
from . import test_privacy_access, test_privacy_erasure, test_privacy_retention
from . import test_privacy_lookup, test_privacy_report, test_privacy_security
from . import test_privacy_ui
from . import test_privacy_calendar
from . import test_partner_merge
from . import test_invitation_rule
from . import test_invitation_opt_out
from . import test_consent_subscription, test_mail_resume, test_public_hardening
from . import test_odoo_overrides
from . import test_partner_import
from . import test_partner_duplicate
from . import test_consent_record
from . import test_public_languages
from . import test_cron_batches
from . import test_funding_period
from . import test_participant_questionnaire, test_questionnaire_self_fill
from . import test_questionnaire_public
from . import test_reporting_indicators
from . import test_training_attendance_list
from . import test_reporting_export
from . import test_reporting_summary
from . import test_reporting_ui
