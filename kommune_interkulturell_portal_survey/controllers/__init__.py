from . import organization
