from typing import Optional, Union

import torch
from mmengine.model import BaseModel
from mmengine.structures import BaseDataElement
from torch import Tensor, nn

from ...registry import MODELS, build_model
from ...structures.packed_fields import packed_field
from ..alignment.base_alignment import BaseAlignment
from ..utils import CosineEMA
from .rank_averaged_losses import RankAveragedLossesMixin


def check_loss_weight_1d(weight: float) -> None:
    """lambda of Eq. (11) must be in [0, 1]."""
    if not 0 <= weight <= 1:
        raise ValueError(f'model.loss_weight_1d (lambda of Eq. 11) must be in [0, 1], got {weight}')


def build_alignment(cfg: dict) -> BaseAlignment:
    """The views' alignment; an unknown type is named with every alignment the registry holds."""
    kind = MODELS.get(cfg.get('type')) if isinstance(cfg.get('type'), str) else cfg.get('type')
    if not (isinstance(kind, type) and issubclass(kind, BaseAlignment)):
        registered = sorted(name for name, module in MODELS.module_dict.items()
                            if isinstance(module, type) and issubclass(module, BaseAlignment))
        raise ValueError(f'model.alignment.type must be one of the registered alignments {registered}, '
                         f'got {cfg.get("type")!r}')
    return build_model(cfg)


class MultiSiamBase(RankAveragedLossesMixin, BaseModel):
    """What the BYOL-based and the MoCo-based MultiSiam share; each defines ``loss``.

    Host-free: an mmengine ``BaseModel`` that builds its parts by name in the running scope (either host's
    ``ResNet``, ``NonLinearNeck``, heads) and runs under both hosts' runners; ``forward`` has their modes
    ``'tensor'`` and ``'loss'``.

    The online network ``Sequential(backbone, neck)`` and its momentum (EMA) copy ``target_net``, with
    momentum rising from ``base_momentum`` to ``end_momentum`` on a cosine schedule; the 1D ``head``,
    the 2D ``head_2d`` and the views' ``alignment``; lambda of Eq. (11), ``loss_weight_1d``. A variant
    sets ``DEFAULT_MOMENTUM`` and checks, in :meth:`check_alignment`, that the alignment fits its heads.

    Args:
        backbone: backbone config; its last output is the final 2D map F.
        neck: :class:`MultiSiamNeck` config (1D and 2D projectors).
        head: 1D head config.
        head_2d: 2D head config.
        alignment: :class:`OffsetAlignment`, :class:`RoIAlignment` or :class:`NoAlignment` config.
        loss_weight_1d: lambda of Eq. (11), in [0, 1]. Defaults to 0.5.
        base_momentum: EMA momentum at the start. Defaults to the variant's ``DEFAULT_MOMENTUM[0]``.
        end_momentum: EMA momentum at the end. Defaults to the variant's ``DEFAULT_MOMENTUM[1]``.
        pretrained: checkpoint to initialize from. Defaults to None.
        data_preprocessor: defaults to :class:`ViewAugmentPreprocessor`.
        init_cfg: initialization config. Defaults to None.
    """

    DEFAULT_MOMENTUM: tuple[float, float]  # (base_momentum, end_momentum) of the variant's paper recipe

    def __init__(self,
                 backbone: dict,
                 neck: dict,
                 head: dict,
                 head_2d: dict,
                 alignment: dict,
                 loss_weight_1d: float = 0.5,
                 base_momentum: Optional[float] = None,
                 end_momentum: Optional[float] = None,
                 pretrained: Optional[str] = None,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[Union[list[dict], dict]] = None) -> None:
        check_loss_weight_1d(loss_weight_1d)
        if pretrained is not None:
            init_cfg = dict(type='Pretrained', checkpoint=pretrained)
        super().__init__(data_preprocessor=data_preprocessor or dict(type='ViewAugmentPreprocessor'),
                         init_cfg=init_cfg)
        self.backbone = build_model(backbone)
        self.neck = build_model(neck)
        self.head = build_model(head)
        self.head_2d = build_model(head_2d)
        self.alignment = build_alignment(alignment)
        self.check_alignment()
        self.loss_weight_1d = loss_weight_1d
        default_base, default_end = self.DEFAULT_MOMENTUM
        self.target_net = CosineEMA(
            nn.Sequential(self.backbone, self.neck),
            momentum=default_base if base_momentum is None else base_momentum,
            end_momentum=default_end if end_momentum is None else end_momentum)

    def forward(self, inputs: list[Tensor], data_samples: Optional[list[BaseDataElement]] = None,
                mode: str = 'tensor'):
        """``'loss'``: the loss dict of :meth:`loss`; ``'tensor'``: the backbone's features of the first view."""
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'tensor':
            return self.extract_feat(inputs)
        raise RuntimeError(f"{type(self).__name__} runs in mode 'loss' or 'tensor', got {mode!r}")

    def check_alignment(self) -> None:
        """Raise if ``alignment`` does not fit the heads (e.g. their input channels); called on build."""
        raise NotImplementedError

    @property
    def target_backbone(self) -> nn.Module:
        """The momentum copy of ``backbone`` (the first module of ``target_net``)."""
        return self.target_net.module[0]

    @property
    def target_neck(self) -> nn.Module:
        """The momentum copy of ``neck`` (the second module of ``target_net``)."""
        return self.target_net.module[1]

    def update_target(self) -> None:
        """One EMA step of ``target_net`` towards the online ``Sequential(backbone, neck)``."""
        self.target_net.update_parameters(nn.Sequential(self.backbone, self.neck))

    def extract_feat(self, inputs: list[Tensor]) -> tuple[Tensor, ...]:
        """Backbone features of the first view."""
        return self.backbone(inputs[0])

    @staticmethod
    def view_geometry(data_samples: list[BaseDataElement]) -> tuple[Tensor, Tensor]:
        """Crop boxes ``(2, B, 4)`` in original-image pixels and flip flags ``(2, B)`` of both views."""
        boxes = torch.stack([packed_field(s, 'crop_boxes') for s in data_samples], dim=1).float()
        flipped = torch.stack([packed_field(s, 'flipped') for s in data_samples], dim=1).bool()
        return boxes, flipped
