from .cosine_ema import CosineEMA, cosine_momentum
from .host_heads import host_head_loss
from .shuffle_bn import batch_shuffle, batch_unshuffle

__all__ = ['CosineEMA', 'batch_shuffle', 'batch_unshuffle', 'cosine_momentum', 'host_head_loss']
