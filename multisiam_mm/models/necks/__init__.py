from .conv_mlp_neck import ConvMLPNeck
from .multisiam_neck import MultiSiamNeck
from .self_attention_projector import SelfAttentionProjector

__all__ = ['ConvMLPNeck', 'MultiSiamNeck', 'SelfAttentionProjector']
