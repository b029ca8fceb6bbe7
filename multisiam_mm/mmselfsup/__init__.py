"""The MMSelfSup 1.0 host: what running MultiSiam under ``default_scope='mmselfsup'`` needs beyond the core.

A config names it in ``custom_imports = dict(imports=['multisiam_mm.mmselfsup'])``. Importing it imports
the core (:mod:`multisiam_mm`, registered in mmengine's root registries, found from mmselfsup's scope),
fixes mmselfsup's own defects (:mod:`.fixes`), and registers the core's data preprocessor under
mmselfsup's scope as well, so the scoped name ``ViewAugmentPreprocessor`` of configs written
before the core was host-free still builds. Never import it in a process that imports mmpretrain: the two
hosts register the same names into mmengine's registries (a KeyError at import).
"""
import multisiam_mm  # noqa: F401  (the core registers itself)
from mmselfsup.registry import MODELS

from ..views import ViewAugmentPreprocessor
from .fixes import MMSELFSUP_FIXES

for fix in MMSELFSUP_FIXES:
    fix()

MODELS.register_module(module=ViewAugmentPreprocessor)  # the pre-split scoped name
