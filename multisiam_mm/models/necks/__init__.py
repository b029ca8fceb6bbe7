from .conv_mlp_neck import ConvMLPNeck
from .multisiam_neck import MultiSiamNeck
from .no_alignment import AlignedPair, NoAlignment
from .offset_alignment import OffsetAlignment
from .roi_alignment import RoIAlignment
from .self_attention_projector import SelfAttentionProjector

__all__ = ['AlignedPair', 'ConvMLPNeck', 'MultiSiamNeck', 'NoAlignment', 'OffsetAlignment', 'RoIAlignment',
           'SelfAttentionProjector']
