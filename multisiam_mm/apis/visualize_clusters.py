"""Draw intra-image K-means clusters of backbone features (the paper's Fig. 6), checkpoints side by side.

Runs the backbone of each checkpoint on each image, clusters the final 2D feature map with the same
batched K-means the model trains with (K=3, cosine), and draws the image beside the cluster map
upsampled to it, one column per checkpoint.

Examples (``tools/analysis/visualize_clusters.py`` runs :func:`main`; ``lab/demo.py`` calls it):
    python tools/analysis/visualize_clusters.py configs/multisiam_r18_camvid.py \
        random,byol=work_dirs/byol/epoch_40.pth,multisiam=work_dirs/demo/epoch_40.pth \
        demo/camvid/val/*.jpg --out clusters.png
CKPT is a comma-separated list of ``[label=]path``; ``random`` is a randomly initialized backbone.
"""
import argparse
import os.path as osp
from pathlib import Path
from typing import Optional

import mmcv
import numpy as np
import torch
import torch.nn.functional as F
from mmengine.config import Config
from mmengine.registry import init_default_scope
from PIL import Image, ImageDraw

from ..checkpoints import load_backbone_state_dict
from ..engine.quiet_log import detail_at_debug
from ..models.clustering import batched_kmeans
from ..registry import build_model
from .runner_setup import import_config_host

PALETTE = np.array([(230, 25, 75), (60, 180, 75), (0, 130, 200), (255, 225, 25), (145, 30, 180),
                    (70, 240, 240), (240, 50, 230), (250, 190, 190)], dtype=np.uint8)


def parse_args(argv: Optional[list] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('config', help='pre-training config whose backbone the checkpoints hold')
    parser.add_argument('checkpoints', help="comma-separated [label=]path list; 'random' for random init")
    parser.add_argument('images', nargs='+', help='image files')
    parser.add_argument('--out', default='clusters.png', help='output PNG')
    parser.add_argument('--num-clusters', type=int, default=3, help='K (paper: 3)')
    parser.add_argument('--short-side', type=int, default=360, help='resize images to this short side')
    parser.add_argument('--alpha', type=float, default=0.55, help='opacity of the cluster colors')
    parser.add_argument('--seed', type=int, default=0,
                        help="seed of the 'random' backbone (K-means is deterministic): the same picture every run")
    return parser.parse_args(argv)


def parse_checkpoints(spec: str) -> list[tuple[str, str]]:
    """``'random,byol=a.pth,b.pth'`` -> ``[('random', 'random'), ('byol', 'a.pth'), ('b', 'b.pth')]``."""
    pairs = []
    for item in spec.split(','):
        label, _, path = item.rpartition('=')
        label = label or (path if path == 'random' else osp.splitext(osp.basename(path))[0])
        if path != 'random' and not osp.isfile(path):
            raise FileNotFoundError(f'checkpoint {path!r} does not exist')
        pairs.append((label, path))
    return pairs


def build_backbone(cfg: Config, checkpoint: str) -> torch.nn.Module:
    """The config's backbone with the checkpoint's ``backbone.*`` weights (or random ones)."""
    backbone_cfg = cfg.model.backbone.copy()
    if backbone_cfg.get('norm_cfg', {}).get('type') == 'SyncBN':
        backbone_cfg.norm_cfg = dict(type='BN')  # inference in one process
    backbone = build_model(backbone_cfg)  # the host's ResNet
    with detail_at_debug():  # mmengine's weight-init report: a line per tensor
        backbone.init_weights()
    if checkpoint != 'random':
        backbone.load_state_dict(load_backbone_state_dict(checkpoint))  # strict: every key must match
    backbone.eval()  # mmcls' ResNet.train() returns None, so no chaining
    return backbone


def load_image(path: str, short_side: int) -> np.ndarray:
    """RGB uint8 image resized to ``short_side``."""
    img = mmcv.imread(path, channel_order='rgb')
    if img is None:
        raise FileNotFoundError(f'cannot read image {path}')
    h, w = img.shape[:2]
    scale = short_side / min(h, w)
    return mmcv.imresize(img, (round(w * scale), round(h * scale)))


@torch.no_grad()
def cluster_map(backbone: torch.nn.Module, img: np.ndarray, mean: torch.Tensor, std: torch.Tensor,
                num_clusters: int) -> np.ndarray:
    """K-means cluster index per pixel of ``img``: backbone final map -> batched K-means -> upsample."""
    x = (torch.from_numpy(img).permute(2, 0, 1).float()[None] - mean) / std  # (1, 3, H, W)
    feats = backbone(x)[-1]  # (1, C, h, w)
    assignments, _ = batched_kmeans(feats.flatten(2).transpose(1, 2), num_clusters)  # (1, h * w)
    labels = assignments.view(1, 1, *feats.shape[-2:]).float()
    return F.interpolate(labels, size=img.shape[:2], mode='nearest')[0, 0].long().numpy()  # (H, W)


def overlay(img: np.ndarray, labels: np.ndarray, alpha: float) -> np.ndarray:
    colors = PALETTE[labels % len(PALETTE)]
    return (img * (1 - alpha) + colors * alpha).astype(np.uint8)


def compose(rows: list[list[np.ndarray]], titles: list[str]) -> Image.Image:
    """A grid with one row per image and a title line over each column."""
    tile_h, tile_w = rows[0][0].shape[:2]
    header = 18
    canvas = Image.new('RGB', (tile_w * len(titles), header + tile_h * len(rows)), 'white')
    draw = ImageDraw.Draw(canvas)
    for col, title in enumerate(titles):
        draw.text((col * tile_w + 4, 3), title, fill='black')
    for r, row in enumerate(rows):
        for col, tile in enumerate(row):
            canvas.paste(Image.fromarray(mmcv.imresize(tile, (tile_w, tile_h), interpolation='nearest')),
                         (col * tile_w, header + r * tile_h))
    return canvas


def main(argv: Optional[list] = None) -> None:
    args = parse_args(argv)
    cfg = Config.fromfile(args.config)
    import_config_host(cfg)
    init_default_scope(cfg.default_scope)
    checkpoints = parse_checkpoints(args.checkpoints)
    preprocess = cfg.model.get('data_preprocessor', {})
    mean = torch.tensor(preprocess.get('mean', (123.675, 116.28, 103.53))).view(1, 3, 1, 1)
    std = torch.tensor(preprocess.get('std', (58.395, 57.12, 57.375))).view(1, 3, 1, 1)
    images = [load_image(path, args.short_side) for path in args.images]
    rows = [[img] for img in images]
    for _, path in checkpoints:
        torch.manual_seed(args.seed)
        backbone = build_backbone(cfg, path)
        for row, img in zip(rows, images):
            row.append(overlay(img, cluster_map(backbone, img, mean, std, args.num_clusters), args.alpha))
    titles = ['image'] + [f'{label}: K={args.num_clusters}' for label, _ in checkpoints]
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    compose(rows, titles).save(args.out)
    print(f'wrote {args.out}')


if __name__ == '__main__':
    main()
