from . import kommune_invitation
from . import mass_mailing
