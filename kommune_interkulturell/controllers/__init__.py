from . import kommune_interkulturell
