from . import algorithms, data_preprocessors, heads, losses, necks, utils  # noqa: F401
