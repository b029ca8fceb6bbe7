"""The pixel self-attention after the 2D predictor, sim = max(cos, 0)^power (Sec. 3.3, Eq. 9)."""
from .pixel_self_attention import PixelSelfAttention

__all__ = ['PixelSelfAttention']
