from . import kommune_training_certificate
