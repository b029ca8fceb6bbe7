"""Write the backbone of a MultiSiam training checkpoint as a backbone-only OpenMMLab checkpoint.

Examples:
    python tools/model_converters/extract_backbone_weights.py work_dirs/multisiam_r50_waymo/epoch_325.pth \
        multisiam_r50_backbone.pth
    python tools/model_converters/extract_backbone_weights.py CKPT OUT --source target   # the EMA backbone

The output is ``{'meta': ..., 'state_dict': {conv1.weight, bn1.*, layer1.0.conv1.weight, ...}}``: load it
with ``init_cfg=dict(type='Pretrained', checkpoint=OUT)`` (no prefix) into mmcls/mmselfsup/mmseg/mmdet
``ResNet``. The file is read back and compared tensor by tensor before the script reports success.
"""
import argparse
import os.path as osp

import torch
from mmengine.logging import print_log

from multisiam_mm.checkpoints.backbone_weights import (BACKBONE_PREFIXES,
                                                      extract_backbone_state_dict, resnet_depth_of)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Extract the backbone of a pre-training checkpoint')
    parser.add_argument('checkpoint', help='MultiSiam (mmselfsup-style) training checkpoint')
    parser.add_argument('output', help='backbone-only checkpoint to write')
    parser.add_argument('--source', choices=sorted(BACKBONE_PREFIXES), default='online',
                        help='online backbone (backbone.*, default) or EMA target (target_net.module.0.*)')
    return parser.parse_args()


def load_state_dict(path: str) -> dict:
    """A checkpoint's ``state_dict`` (compat allowlists mmengine's message_hub types for weights_only)."""
    import multisiam_mm  # noqa: F401  applies multisiam_mm.compat

    checkpoint = torch.load(path, map_location='cpu', weights_only=True)
    return checkpoint.get('state_dict', checkpoint)


def verify_written(path: str, expected: dict) -> None:
    """Read ``path`` back and require exactly the expected keys with equal tensors."""
    written = torch.load(path, map_location='cpu', weights_only=True)['state_dict']
    if list(written) != list(expected):
        raise RuntimeError(f'{path}: written keys differ from the extracted ones')
    for key, value in expected.items():
        if not torch.equal(written[key], value):
            raise RuntimeError(f'{path}: tensor {key} differs from the source checkpoint')


def main() -> None:
    args = parse_args()
    prefix = BACKBONE_PREFIXES[args.source]
    backbone = extract_backbone_state_dict(load_state_dict(args.checkpoint), prefix)
    meta = dict(source=osp.abspath(args.checkpoint), prefix=prefix)
    try:
        meta['resnet_depth'] = resnet_depth_of(backbone)
    except ValueError as error:  # not a ResNet: still a valid backbone file
        print_log(f'not a standard ResNet ({error})', logger='current')
    torch.save(dict(meta=meta, state_dict=backbone), args.output)
    verify_written(args.output, backbone)
    print_log(f'wrote {len(backbone)} backbone tensors ({prefix}*) of {args.checkpoint} to {args.output}',
              logger='current')


if __name__ == '__main__':
    main()
