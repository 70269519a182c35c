from . import kommune_cooperation_close
