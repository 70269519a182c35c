from . import catalogue
from . import organization
from . import portal
