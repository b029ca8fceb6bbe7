"""The dense probe's diagnostics: what a backbone's features keep besides classes, and the probe under a
changed hypothesis (BN statistics re-estimated on the frames; the classifier given position).

One-off instruments of the CamVid evidence (docs/results.md, "Why pre-training does not pay here"), kept
beside the plugin, not in it: the probe itself is ``multisiam_mm.evaluation``.

    python -m lab.probe_diagnostics random CKPT --data-root ../shared/data/camvid --cache-dir DIR
    python -m lab.probe_diagnostics CKPT --bn frames          # BN statistics re-estimated on the train frames
    python -m lab.probe_diagnostics CKPT --position append    # the classifier also given row/column planes
    python -m lab.probe_diagnostics CKPT --position only      # the position prior alone

Each backbone: the probe's mIoU under the chosen variant and, of the backbone's own features, the
effective rank (train), how well they give a cell's row and column (ridge R^2, fit on train, scored on
val) and the mean cosine of a cell to its frame's mean cell (val).
"""
import argparse
import json
from pathlib import Path
from typing import Sequence

import torch
from torch import nn

from lab.feature_diagnostics import effective_rank, frame_similarity, position_channels, position_r2
from multisiam_mm.evaluation.camvid_frames import frame_files, read_image
from multisiam_mm.evaluation.dense_probe import probe_features
from multisiam_mm.evaluation.feature_cache import trunk_features
from multisiam_mm.evaluation.frozen_trunk import load_trunk

#: what the classifier is given besides (or instead of) the features
POSITION_MODES = ('none', 'append', 'only')


@torch.no_grad()
def reestimate_bn(trunk: nn.Module, images: Sequence[Path], batch_size: int = 8) -> nn.Module:
    """Replace every BN's running statistics by their average over ``images`` (un-augmented frames).

    Pre-training leaves the statistics of augmented 128-px crops; this measures what the probe would see
    with the statistics of the frames it classifies.
    """
    norms = [module for module in trunk.modules() if isinstance(module, nn.BatchNorm2d)]
    for norm in norms:
        norm.reset_running_stats()
        norm.momentum = None  # cumulative moving average: every batch weighs the same
    trunk.train()
    for start in range(0, len(images), batch_size):
        trunk(torch.stack([read_image(path) for path in images[start:start + batch_size]]))
    return trunk.eval()


def diagnose(checkpoint: str, data_root: str, cache_dir: str = None, source: str = 'online', seed: int = 0,
             bn: str = 'checkpoint', position: str = 'none') -> dict:
    """The probe's result under the variant, with the diagnostics of the backbone's own features."""
    if position not in POSITION_MODES:
        raise ValueError(f'position must be one of {POSITION_MODES}, got {position!r}')
    if bn not in ('checkpoint', 'frames'):
        raise ValueError(f"bn must be 'checkpoint' or 'frames', got {bn!r}")
    trunk, key = load_trunk(checkpoint, source, seed)
    if bn == 'frames':
        trunk, key = reestimate_bn(trunk, [image for image, _ in frame_files(Path(data_root), 'train')]), f'{key} bn'
    features, labels = trunk_features(trunk, key, data_root, dict(train='train', eval='val'), cache_dir)
    diagnostics = dict(effective_rank=effective_rank(features['train']),
                       position_r2=position_r2(features['train'], features['eval']),
                       frame_similarity=frame_similarity(features['eval']))
    if position != 'none':
        planes = {name: position_channels(len(maps), *maps.shape[-2:]) for name, maps in features.items()}
        features = {name: planes[name] if position == 'only' else torch.cat([maps, planes[name]], 1)
                    for name, maps in features.items()}
    return dict(probe_features(features, labels), **diagnostics)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('checkpoints', nargs='+', help="pre-training checkpoints, backbone-only files or 'random'")
    parser.add_argument('--data-root', default='demo/camvid', help='CamVid root (train.txt, train/, trainannot/...)')
    parser.add_argument('--cache-dir', help='cache the features here (reused by a later run)')
    parser.add_argument('--source', choices=['online', 'target'], default='online')
    parser.add_argument('--seed', type=int, default=0, help="seed of the 'random' backbone")
    parser.add_argument('--bn', choices=['checkpoint', 'frames'], default='checkpoint')
    parser.add_argument('--position', choices=POSITION_MODES, default='none')
    parser.add_argument('--out', help='write every result as JSON')
    args = parser.parse_args(argv)
    results = {}
    for checkpoint in args.checkpoints:
        result = results[checkpoint] = diagnose(checkpoint, args.data_root, args.cache_dir, args.source, args.seed,
                                                args.bn, args.position)
        print(f'{checkpoint}: mIoU {result["mIoU"]:.2f} (bn {args.bn}, position {args.position}); features: '
              f'effective rank {result["effective_rank"]:.1f}, position R^2 row {result["position_r2"][0]:.2f} '
              f'column {result["position_r2"][1]:.2f}, similarity to the frame mean {result["frame_similarity"]:.2f}',
              flush=True)
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=1))


if __name__ == '__main__':
    main()
