"""The MMPretrain 1.2 host: what running MultiSiam under ``default_scope='mmpretrain'`` needs beyond the core.

A config names it in ``custom_imports = dict(imports=['multisiam_mm.mmpretrain'])``. Importing it imports
the core (:mod:`multisiam_mm`, registered in mmengine's root registries, found from mmpretrain's scope).
MMPretrain 1.2.0 needs no fix of its own: its ``ColorJitter`` calls ``mmcv.adjust_hue``, which the core's
numpy-2 fix already covers, and its registries name existing modules. Never import it in a process (or an
environment) that holds mmselfsup: requirements/host-mmselfsup.txt says why.
"""
import multisiam_mm  # noqa: F401  (the core registers itself)
