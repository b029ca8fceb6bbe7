from . import algorithms, heads, losses, necks, utils  # noqa: F401
