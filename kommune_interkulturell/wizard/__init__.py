from . import kommune_training_invite
