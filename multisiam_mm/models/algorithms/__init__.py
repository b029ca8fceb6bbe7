from .momentum_queue import MomentumQueue
from .multisiam import MultiSiam
from .multisiam_moco import MultiSiamMoCo

__all__ = ['MomentumQueue', 'MultiSiam', 'MultiSiamMoCo']
