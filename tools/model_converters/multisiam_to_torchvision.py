"""Convert the ResNet backbone of a MultiSiam checkpoint to a torchvision ResNet state dict.

Examples:
    python tools/model_converters/multisiam_to_torchvision.py work_dirs/multisiam_r50_waymo/epoch_325.pth \
        multisiam_r50_torchvision.pth

Load the output outside OpenMMLab with::

    model = torchvision.models.resnet50(weights=None)
    missing, unexpected = model.load_state_dict(torch.load('multisiam_r50_torchvision.pth'), strict=False)
    # missing == ['fc.weight', 'fc.bias'] (no classifier is pre-trained), unexpected == []

Before reporting success the script loads the file into ``torchvision.models.resnet<depth>`` and compares
every tensor. Only pytorch-style plain-stem ResNets convert (mmselfsup's default); a deep stem is refused.
"""
import argparse

import torch
from mmengine.logging import print_log

from multisiam_mm.checkpoints import (BACKBONE_PREFIXES, load_backbone_state_dict, resnet_depth_of,
                                      to_torchvision_resnet)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Convert a MultiSiam ResNet backbone to torchvision keys')
    parser.add_argument('checkpoint', help='MultiSiam (mmselfsup-style) training or backbone-only checkpoint')
    parser.add_argument('output', help='torchvision state dict to write')
    parser.add_argument('--source', choices=sorted(BACKBONE_PREFIXES), default='online',
                        help='online backbone (backbone.*, default) or EMA target (target_net.module.0.*); '
                        'ignored for a backbone-only file')
    return parser.parse_args()


def verify_in_torchvision(path: str, expected: dict) -> None:
    """Load ``path`` into torchvision's ResNet; only ``fc`` may be missing and every tensor must match."""
    import torchvision

    depth = resnet_depth_of(expected)
    model = getattr(torchvision.models, f'resnet{depth}')(weights=None)
    missing, unexpected = model.load_state_dict(torch.load(path, map_location='cpu', weights_only=True),
                                                strict=False)
    if sorted(missing) != ['fc.bias', 'fc.weight'] or unexpected:
        raise RuntimeError(f'{path} does not load into torchvision resnet{depth}: missing {missing}, '
                           f'unexpected {unexpected}')
    loaded = model.state_dict()
    for key, value in expected.items():
        if not torch.equal(loaded[key], value):
            raise RuntimeError(f'{path}: torchvision resnet{depth}.{key} differs from the source tensor')


def main() -> None:
    args = parse_args()
    converted = to_torchvision_resnet(load_backbone_state_dict(args.checkpoint, args.source))
    torch.save(converted, args.output)
    verify_in_torchvision(args.output, converted)
    depth = resnet_depth_of(converted)
    print_log(f'wrote torchvision resnet{depth} weights ({len(converted)} tensors, no fc) to {args.output}',
              logger='current')


if __name__ == '__main__':
    main()
