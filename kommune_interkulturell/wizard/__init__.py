from . import kommune_cooperation_close
from . import kommune_training_invite
