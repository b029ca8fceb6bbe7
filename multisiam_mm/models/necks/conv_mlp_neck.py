from typing import Optional, Union

from mmcv.cnn import build_norm_layer
from mmengine.model import BaseModule
from ...registry import MODELS
from torch import Tensor, nn


@MODELS.register_module()
class ConvMLPNeck(BaseModule):
    """A two-layer MLP applied at every pixel of a 2D map, as 1x1 convolutions: conv-BN-ReLU-conv.

    MultiSiam's 2D projector and 2D predictor (Sec. 3.2: "projector and predictor are 1x1 convolutions").

    Args:
        in_channels: channels of the input map.
        hid_channels: hidden channels. Defaults to 4096.
        out_channels: output channels. Defaults to 256.
        norm_cfg: norm layer after the first conv. Defaults to ``dict(type='SyncBN')``.
        init_cfg: initialization config; BN weights start at 1 like mmselfsup's ``NonLinearNeck``.
    """

    def __init__(self,
                 in_channels: int,
                 hid_channels: int = 4096,
                 out_channels: int = 256,
                 norm_cfg: dict = dict(type='SyncBN'),
                 init_cfg: Optional[Union[dict, list[dict]]] = dict(
                     type='Constant', val=1, layer=['_BatchNorm', 'GroupNorm'])) -> None:
        super().__init__(init_cfg)
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.conv0 = nn.Conv2d(in_channels, hid_channels, 1, bias=False)
        self.bn0 = build_norm_layer(norm_cfg, hid_channels)[1]
        self.relu = nn.ReLU(inplace=True)
        self.conv1 = nn.Conv2d(hid_channels, out_channels, 1)

    def forward(self, x: Tensor) -> Tensor:
        """``(B, in_channels, H, W) -> (B, out_channels, H, W)``."""
        return self.conv1(self.relu(self.bn0(self.conv0(x))))
