from . import organization
from . import portal
