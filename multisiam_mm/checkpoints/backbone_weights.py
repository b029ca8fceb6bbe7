"""Backbone weights out of a pre-training checkpoint: OpenMMLab backbone-only and torchvision ResNet files.

An mmselfsup-style pre-training checkpoint holds ``backbone.*`` (the online ResNet), ``neck.*``, ``head.*``
and ``target_net.module.0.*`` (the EMA copy of the backbone). The ResNet of mmcls/mmselfsup with the plain
stem (``conv1``, ``bn1``, ``layer1..4``, ``downsample.0/1``) uses torchvision's key names exactly, and so
do mmseg's and mmdet's ``ResNet``; only torchvision's classifier ``fc.*`` has no counterpart.
"""
from collections import OrderedDict


from torch import Tensor

from .fit import resnet_depth_of, tensors_under

#: Key prefixes of the two backbones in a pre-training checkpoint.
BACKBONE_PREFIXES = {'online': 'backbone.', 'target': 'target_net.module.0.'}


def extract_backbone_state_dict(state_dict: dict[str, Tensor],
                                prefix: str = 'backbone.') -> 'OrderedDict[str, Tensor]':
    """The tensors under ``prefix``, with the prefix stripped.

    Args:
        state_dict: A pre-training checkpoint's ``state_dict``.
        prefix: ``'backbone.'`` (online network, the default) or ``'target_net.module.0.'`` (EMA target).

    Returns:
        The backbone's state dict, in checkpoint order.
    """
    backbone = tensors_under(state_dict, prefix)
    if not backbone:
        heads = sorted({key.split('.')[0] for key in state_dict})
        dotted = prefix.rstrip('.') + '.'
        raise KeyError(f'no key starts with {dotted!r}; the checkpoint has top-level modules {heads}: '
                       f'pass one of the prefixes {list(BACKBONE_PREFIXES.values())} or a matching one')
    return backbone


def torchvision_resnet_key_check(state_dict: dict[str, Tensor], depth: int) -> tuple[list[str], list[str]]:
    """Keys of ``torchvision.models.resnet<depth>`` (but ``fc.*``) missing from / unexpected in a state dict.

    Args:
        state_dict: A backbone state dict with torchvision key names.
        depth: 18, 34, 50, 101 or 152.

    Returns:
        ``(missing, unexpected)``; both empty when the file loads into torchvision with only ``fc`` missing.
    """
    import torchvision

    reference = getattr(torchvision.models, f'resnet{depth}')(weights=None).state_dict()
    expected = {key for key in reference if not key.startswith('fc.')}
    missing = sorted(expected - set(state_dict))
    unexpected = sorted(set(state_dict) - expected)
    for key in sorted(expected & set(state_dict)):
        if tuple(reference[key].shape) != tuple(state_dict[key].shape):
            unexpected.append(f'{key} (shape {tuple(state_dict[key].shape)}, torchvision '
                              f'{tuple(reference[key].shape)})')
    return missing, unexpected


def to_torchvision_resnet(backbone: dict[str, Tensor]) -> 'OrderedDict[str, Tensor]':
    """Rename a plain-stem, pytorch-style OpenMMLab ResNet state dict to torchvision's ResNet keys.

    The names coincide (``conv1``, ``bn1``, ``layer<i>.<j>.conv<k>``/``bn<k>``, ``downsample.0/1``), so the
    conversion is a check: every torchvision key except ``fc.*`` must be present with the same shape, and
    nothing else. A caffe-style ResNet (stride in the first 1x1 conv) has the same keys but different
    semantics, and cannot be detected from the state dict: only convert pytorch-style backbones (the
    default of mmselfsup's ``ResNet``).

    Args:
        backbone: Backbone state dict without prefix (see :func:`extract_backbone_state_dict`).

    Returns:
        A state dict that ``torchvision.models.resnet<depth>().load_state_dict(sd, strict=False)`` loads
        with exactly ``fc.weight`` and ``fc.bias`` missing.
    """
    depth = resnet_depth_of(backbone)
    converted = OrderedDict(backbone)
    missing, unexpected = torchvision_resnet_key_check(converted, depth)
    if missing or unexpected:
        raise ValueError(f'not a torchvision ResNet-{depth} layout: missing {missing[:8]}, unexpected '
                         f'{unexpected[:8]}')
    return converted


def load_backbone_state_dict(path: str, source: str = 'online') -> 'OrderedDict[str, Tensor]':
    """The backbone state dict of a pre-training checkpoint or of a backbone-only file.

    Args:
        path: A pre-training checkpoint (``backbone.*``, ``target_net.module.0.*``, ...) or the output of
            ``tools/model_converters/extract_backbone_weights.py`` (keys without prefix).
        source: ``'online'`` or ``'target'`` (:data:`BACKBONE_PREFIXES`); a backbone-only file has one
            backbone, whichever it was.

    Returns:
        The backbone's state dict without prefix.
    """
    import torch  # weights_only: importing multisiam_mm allowlisted mmengine's message_hub types

    checkpoint = torch.load(path, map_location='cpu', weights_only=True)
    state_dict = checkpoint.get('state_dict', checkpoint)
    if any(key.startswith(prefix) for key in state_dict for prefix in BACKBONE_PREFIXES.values()):
        return extract_backbone_state_dict(state_dict, BACKBONE_PREFIXES[source])
    return OrderedDict(state_dict)
