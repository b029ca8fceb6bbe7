from . import algorithms, alignment, attention, clustering, heads, losses, necks, utils  # noqa: F401
