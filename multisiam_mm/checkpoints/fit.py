"""Does a checkpoint fit the model it is loaded into? Checked before ``load_from`` / ``--resume`` loads it.

mmengine loads ``load_from`` with ``strict=False`` and only logs the keys it could not use, so a ResNet-50
checkpoint in a ResNet-18 config pre-trains to the end from a mostly random model with exit 0, and
``--resume`` from it fails deep in the optimizer ("different number of parameter groups").
:func:`check_checkpoint_fits` compares names and shapes first and says the cause in words.
"""
import re
from collections import OrderedDict
from typing import Optional

import torch
from torch import Tensor, nn

#: (blocks per stage, bottleneck) -> depth of the standard ResNets.
RESNET_DEPTHS = {
    ((2, 2, 2, 2), False): 18,
    ((3, 4, 6, 3), False): 34,
    ((3, 4, 6, 3), True): 50,
    ((3, 4, 23, 3), True): 101,
    ((3, 8, 36, 3), True): 152,
}


def tensors_under(state_dict: dict[str, Tensor], prefix: str) -> 'OrderedDict[str, Tensor]':
    """The tensors whose keys start with ``prefix`` (``'.'`` appended if missing), the prefix stripped, in
    checkpoint order: the part of a checkpoint that ``Pretrained(prefix=...)`` loads."""
    if not prefix.endswith('.'):
        prefix += '.'
    return OrderedDict((key[len(prefix):], value) for key, value in state_dict.items()
                       if key.startswith(prefix))


def resnet_depth_of(state_dict: dict[str, Tensor]) -> int:
    """Depth (18, 34, 50, 101, 152) of a plain-stem ResNet state dict with keys ``layer<i>.<j>.*``."""
    if any(key.startswith('stem.') for key in state_dict):
        raise ValueError('the state dict has a deep stem (stem.*, ResNetV1c/V1d): it is not a plain-stem '
                         'ResNet and has no torchvision counterpart')
    blocks = []
    for stage in range(1, 5):
        indices = {int(match.group(1)) for key in state_dict
                   if (match := re.match(rf'layer{stage}\.(\d+)\.', key))}
        blocks.append(max(indices) + 1 if indices else 0)
    bottleneck = 'layer1.0.conv3.weight' in state_dict
    depth = RESNET_DEPTHS.get((tuple(blocks), bottleneck))
    if depth is None:
        kind = 'bottleneck' if bottleneck else 'basic'
        raise ValueError(f'blocks per stage {blocks} ({kind} blocks) match no standard ResNet '
                         f'{sorted(set(RESNET_DEPTHS.values()))}; is this a ResNet backbone?')
    return depth


def describe_backbone(state_dict: dict[str, Tensor]) -> Optional[str]:
    """'a ResNet-50', 'a deep-stem ResNet (ResNetV1c/V1d)', or None when it is no ResNet."""
    if not any(re.match(r'layer\d\.', key) for key in state_dict):
        return None
    try:
        return f'a ResNet-{resnet_depth_of(state_dict)}'
    except ValueError:
        return 'a deep-stem ResNet (ResNetV1c/V1d)' if any(k.startswith('stem.') for k in state_dict) else None


def check_checkpoint_fits(model: nn.Module, checkpoint: str, key: str) -> None:
    """Raise ``ValueError`` when ``checkpoint`` lacks a tensor of ``model`` or has it in another shape.

    Args:
        model: the (unwrapped) model about to be loaded.
        checkpoint: the checkpoint's path.
        key: the config key that named it (``load_from`` or ``--resume``), for the message.
    """
    loaded = torch.load(checkpoint, map_location='cpu', mmap=True)
    tensors = loaded.get('state_dict', loaded) if isinstance(loaded, dict) else {}
    wanted = model.state_dict()
    missing = [k for k in wanted if k not in tensors]
    reshaped = [k for k in wanted if k in tensors and tuple(tensors[k].shape) != tuple(wanted[k].shape)]
    if not missing and not reshaped:
        return
    ours = describe_backbone(tensors_under(wanted, 'backbone.'))
    theirs = describe_backbone(tensors_under(tensors, 'backbone.'))
    whole = describe_backbone(tensors)
    causes: list[str] = []
    if theirs is None and whole is not None:
        causes.append(f'this checkpoint is a backbone-only file ({whole}, keys without '
                      '"backbone."): to start pre-training from it, set model.backbone.init_cfg='
                      f"dict(type='Pretrained', checkpoint='{checkpoint}') instead of {key}")
    elif theirs is not None and ours is not None and theirs != ours:
        causes.append(f"this checkpoint's backbone is {theirs}, the config's is {ours}")
    elif not any(k.startswith('backbone.') for k in tensors):
        causes.append('this checkpoint has no backbone.* tensors: it is not a pre-training checkpoint of '
                      'this project (or mmselfsup)')
    if not causes:
        causes.append('the checkpoint was written by another model configuration (neck, heads or widths)')
    examples = ', '.join((missing + reshaped)[:4])
    raise ValueError(
        f'{key} {checkpoint} does not fit this model: {len(missing)} of {len(wanted)} tensors missing, '
        f'{len(reshaped)} with another shape (e.g. {examples}); {"; ".join(causes)}. Nothing was trained.')
