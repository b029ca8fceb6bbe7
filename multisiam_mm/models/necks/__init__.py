from .base_alignment import AlignedPair, BaseAlignment
from .conv_mlp_neck import ConvMLPNeck
from .multisiam_neck import MultiSiamNeck
from .no_alignment import NoAlignment
from .offset_alignment import OffsetAlignment
from .roi_alignment import RoIAlignment
from .self_attention_projector import SelfAttentionProjector

__all__ = [
    'AlignedPair', 'BaseAlignment', 'ConvMLPNeck', 'MultiSiamNeck', 'NoAlignment', 'OffsetAlignment',
    'RoIAlignment', 'SelfAttentionProjector'
]
