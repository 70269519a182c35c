from . import kommune_tag_mixin
from . import kommune_district
from . import kommune_organization_type
from . import kommune_community
from . import kommune_language
from . import kommune_activity_area
from . import kommune_target_group
from . import res_partner
