"""Dense linear probe: per-pixel linear classifier on a frozen backbone's final feature map."""
from typing import Optional, Sequence

from mmcv.cnn import build_norm_layer
from mmseg.models.decode_heads.decode_head import BaseDecodeHead
from mmseg.registry import MODELS
from torch import Tensor


@MODELS.register_module()
class LinearProbeHead(BaseDecodeHead):
    """A 1x1 convolution on the backbone's last map, upsampled bilinearly to the label size.

    With the backbone frozen (``frozen_stages=4, norm_eval=True``) only this head learns, so mIoU
    measures how linearly separable the pre-trained dense features are: cheaper than fine-tuning and more
    sensitive to representation quality. The optional normalization (``norm_cfg``, e.g. BN) only
    standardizes feature scales that differ between pre-training methods; at test time it folds into the
    1x1 convolution, so the probe stays linear. Upsampling to the label (training) or image (testing)
    size is done by :class:`BaseDecodeHead`'s ``loss_by_feat``/``predict_by_feat``.

    Args:
        in_channels: Channels of the probed map (ResNet-18: 512, ResNet-50: 2048).
        num_classes: Number of classes.
        norm_cfg: Normalization before the 1x1 convolution, ``None`` for none. Defaults to ``None``.
        dropout_ratio: Dropout before the 1x1 convolution. Defaults to 0 (a plain linear probe).
        in_index: Which backbone output to probe. Defaults to -1, the last.
        **kwargs: Passed to :class:`BaseDecodeHead` (``loss_decode``, ``ignore_index``,
            ``align_corners``...).
    """

    def __init__(self,
                 in_channels: int,
                 num_classes: int,
                 norm_cfg: Optional[dict] = None,
                 dropout_ratio: float = 0.0,
                 in_index: int = -1,
                 **kwargs) -> None:
        if not isinstance(in_channels, int):
            raise TypeError(f'LinearProbeHead probes one feature map: in_channels must be an int, got '
                            f'{in_channels!r}; set in_index to the map to probe')
        super().__init__(in_channels, in_channels, num_classes=num_classes, norm_cfg=norm_cfg,
                         dropout_ratio=dropout_ratio, in_index=in_index, **kwargs)
        self.norm = build_norm_layer(norm_cfg, in_channels)[1] if norm_cfg is not None else None

    def forward(self, inputs: Sequence[Tensor]) -> Tensor:
        """Per-pixel class logits ``(B, num_classes, h, w)`` at the probed map's resolution."""
        feat = self._transform_inputs(inputs)  # (B, C, h, w)
        if self.norm is not None:
            feat = self.norm(feat)
        return self.cls_seg(feat)  # (B, K, h, w)
