from . import kommune_development_check_send
