"""The deterministic dense linear probe: frozen backbone, cached features, a per-pixel linear classifier.

The instrument of the CamVid evidence (docs/results.md). Plain torch and torchvision: it needs neither
mmseg nor mmcv's compiled ops, so the demo runs it on a fresh machine in minutes.

Protocol (what the paper does not fix is chosen here, and said):

* **Backbone**: a torchvision ResNet with the checkpoint's online backbone (``backbone.*``; the EMA target
  with ``source='target'``), in eval mode (BN uses the running statistics of pre-training), frozen. A
  random backbone is torchvision's initialization (Kaiming-normal fan-out convolutions, BN 1/0: the
  distribution of mmcls' ResNet init that pre-training starts from) under ``torch.manual_seed(seed)``.
* **Frames**: the full 480x360 train and val frames, no crop or flip, ImageNet mean/std in RGB; the
  final map (stride 32: 12x15) of every frame is computed once and cached.
* **Classifier**: a 1x1 linear map on the features whitened with train statistics; logits
  bilinearly upsampled to the label size (``F.interpolate``, ``align_corners=False``); cross-entropy with
  void ignored, plus ``weight_decay / 2 * ||W||^2``. Convex with a unique minimum, so it is trained to
  convergence by full-batch L-BFGS: nothing random, no schedule to tune, and the same checkpoint gives the
  same mIoU.
* **Training pixels**: the loss is taken on every ``stride``-th label pixel in each direction (1/64 of
  the pixels at 8); the logits there are exactly the full-size upsampled ones (bilinear upsampling is
  separable, :func:`upsampling_matrices`). Evaluation scores every val pixel.
* **Metric**: IoU per class from the val confusion matrix (void ignored); mIoU is the mean over classes
  present in labels or predictions (mmseg's ``IoUMetric``).
"""
import hashlib
import time
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch import Tensor, nn

from ..datasets.camvid_classes import CAMVID_CLASSES, CAMVID_VOID_ID

#: ImageNet statistics in RGB order, 0..255 (the pre-training data preprocessor's)
MEAN = (123.675, 116.28, 103.53)
STD = (58.395, 57.12, 57.375)


def split_files(data_root: Path, split: str) -> List[Tuple[Path, Path]]:
    """``(image, label)`` paths of a CamVid split: ``{split}/{stem}.jpg``, ``{split}annot/{stem}.png``."""
    listing = data_root / f'{split}.txt'
    if not listing.is_file():
        raise FileNotFoundError(f'{listing} does not exist: data_root must hold CamVid\'s {split}.txt, '
                                f'{split}/ and {split}annot/ (or give a list file of split/stem lines)')
    return checked_pairs([(split, stem) for stem in listing.read_text().split()], data_root, listing)


def frame_files(data_root: Path, frames: str) -> List[Tuple[Path, Path]]:
    """``(image, label)`` paths of the frames named by ``frames``: a split name (:func:`split_files`) or a
    list file with one ``split/stem`` per line (``train/0001TP_006690``; a ``.jpg`` suffix is allowed),
    so that any subset or mix of the splits can be evaluated without a code change."""
    listing = Path(frames)
    if not listing.is_file():
        if '/' in frames or listing.suffix:
            raise FileNotFoundError(f'frame list {listing} does not exist; give a split name (train, val) or a '
                                    'file of split/stem lines')
        return split_files(data_root, frames)
    entries = [line.strip().removesuffix('.jpg') for line in listing.read_text().splitlines() if line.strip()]
    bad = [entry for entry in entries if entry.count('/') != 1]
    if bad:
        raise ValueError(f'{listing}: lines must be split/stem (e.g. train/0001TP_006690), got {bad[:3]}')
    return checked_pairs([tuple(entry.split('/')) for entry in entries], data_root, listing)


def checked_pairs(names: Sequence[Tuple[str, str]], data_root: Path, listing: Path) -> List[Tuple[Path, Path]]:
    """``(image, label)`` of each ``(split, stem)``; every file must exist."""
    pairs = [(data_root / split / f'{stem}.jpg', data_root / f'{split}annot' / f'{stem}.png') for split, stem in names]
    missing = [str(path) for pair in pairs for path in pair if not path.is_file()]
    if missing:
        raise FileNotFoundError(f'{len(missing)} files listed in {listing} are missing, e.g. {missing[:3]}')
    if not pairs:
        raise ValueError(f'{listing} lists no frame')
    return pairs


def resnet_trunk(state_dict: Optional[Dict[str, Tensor]], depth: int = 18, seed: int = 0) -> nn.Module:
    """A frozen torchvision ResNet up to ``layer4`` (the final map), eval mode.

    Args:
        state_dict: Backbone weights with torchvision key names (an OpenMMLab plain-stem ResNet's; see
            :func:`multisiam_mm.checkpoints.to_torchvision_resnet`), or ``None`` for random init.
        depth: ResNet depth when ``state_dict`` is None; otherwise read from the weights.
        seed: Seed of the random init.
    """
    import torchvision

    from ..checkpoints import resnet_depth_of, to_torchvision_resnet
    if state_dict is not None:
        state_dict = to_torchvision_resnet(state_dict)  # checks every key and shape
        depth = resnet_depth_of(state_dict)
    torch.manual_seed(seed)
    resnet = getattr(torchvision.models, f'resnet{depth}')(weights=None)
    if state_dict is not None:
        resnet.load_state_dict(state_dict, strict=False)  # fc.* alone is missing (checked above)
    trunk = nn.Sequential(*list(resnet.children())[:-2])  # conv1 ... layer4, no pooling or fc
    return trunk.eval().requires_grad_(False)


def read_image(path: Path) -> Tensor:
    """An RGB frame as a normalized ``(3, H, W)`` float tensor."""
    rgb = torch.from_numpy(np.asarray(Image.open(path).convert('RGB'), dtype=np.float32))
    return ((rgb - torch.tensor(MEAN)) / torch.tensor(STD)).permute(2, 0, 1)


def read_label(path: Path) -> Tensor:
    """A label map as an ``(H, W)`` int64 tensor of CamVid ids (void: :data:`CAMVID_VOID_ID`)."""
    return torch.from_numpy(np.asarray(Image.open(path), dtype=np.int64))


@torch.inference_mode()
def extract_features(trunk: nn.Module, images: Sequence[Path], batch_size: int = 8) -> Tensor:
    """The final maps ``(N, C, h, w)`` of ``images`` (all the same size), in order."""
    maps = []
    for start in range(0, len(images), batch_size):
        batch = torch.stack([read_image(path) for path in images[start:start + batch_size]])
        maps.append(trunk(batch))
    return torch.cat(maps)


def upsampling_matrices(in_hw: Tuple[int, int], out_hw: Tuple[int, int]) -> Tuple[Tensor, Tensor]:
    """Bilinear upsampling as two matrices: ``up[b, k, i, j] = sum_yx x[b, k, y, x] Ry[y, i] Rx[x, j]``.

    Row ``y`` of ``Ry`` is ``F.interpolate`` (bilinear, ``align_corners=False``) applied to the unit map at
    row ``y``; bilinear interpolation is the product of its two 1-D interpolations, so selecting columns
    of ``Ry`` and ``Rx`` gives the full-size upsampled values at any grid of output pixels.

    Returns:
        ``Ry`` of shape ``(h, H)`` and ``Rx`` of shape ``(w, W)``.
    """
    def one_axis(n_in: int, n_out: int) -> Tensor:
        unit = torch.eye(n_in).view(n_in, 1, n_in, 1)
        return F.interpolate(unit, size=(n_out, 1), mode='bilinear', align_corners=False)[:, 0, :, 0]

    return one_axis(in_hw[0], out_hw[0]), one_axis(in_hw[1], out_hw[1])


def confusion_matrix(pred: Tensor, label: Tensor, num_classes: int, ignore: int) -> Tensor:
    """``(num_classes, num_classes)`` counts, rows the label, columns the prediction; ``ignore`` dropped."""
    keep = label != ignore
    index = label[keep] * num_classes + pred[keep]
    return torch.bincount(index, minlength=num_classes ** 2).view(num_classes, num_classes)


def iou_per_class(confusion: Tensor) -> Tensor:
    """IoU_c = TP / (TP + FP + FN) per class; NaN for a class in neither labels nor predictions."""
    confusion = confusion.double()
    tp = confusion.diag()
    union = confusion.sum(0) + confusion.sum(1) - tp
    return tp / union  # 0 / 0 -> NaN


class LinearProbe:
    """Per-pixel softmax regression on whitened features, fit by full-batch L-BFGS.

    The features are whitened with the train pixels' mean and covariance (PCA whitening; eigenvalues below
    ``eps`` x the largest are raised to it, as random-init features have rank well under 512): an
    invertible linear map, so the classifier family is the plain linear one, but L-BFGS then converges
    in about a hundred steps instead of creeping (docs/benchmarks.md compares it with per-channel
    standardization).

    Args:
        num_classes: Classes (void excluded).
        ignore: Label id excluded from loss and metric.
        weight_decay: L2 penalty coefficient on the weights (not the bias), in whitened coordinates.
        stride: Training loss on every ``stride``-th label pixel per direction (8: 45x60 of 360x480).
        max_iter: L-BFGS steps at most (it stops earlier when the gradient or the change vanishes).
        eps: Smallest eigenvalue kept in the whitening, relative to the largest.
    """

    def __init__(self, num_classes: int, ignore: int, weight_decay: float = 1e-4, stride: int = 8,
                 max_iter: int = 300, eps: float = 1e-3) -> None:
        self.num_classes, self.ignore = num_classes, ignore
        self.weight_decay, self.stride, self.max_iter, self.eps = weight_decay, stride, max_iter, eps
        self.mean = self.whiten = self.weight = self.bias = None
        self.log: Dict[str, float] = {}

    def pixels(self, features: Tensor) -> Tensor:
        """Whitened features as ``(N, C, h * w)``, each frame's pixels a column block."""
        n, c, h, w = features.shape
        flat = features.permute(0, 2, 3, 1).reshape(-1, c)
        return ((flat - self.mean) @ self.whiten).view(n, h * w, c).transpose(1, 2).contiguous()

    def logits(self, pixels: Tensor, hw: Tuple[int, int]) -> Tensor:
        """Class scores on the feature grid, ``(N, K, h, w)``."""
        return (torch.matmul(self.weight, pixels) + self.bias[:, None]).view(len(pixels), -1, *hw)

    def fit(self, features: Tensor, labels: Tensor, statistics: Optional[Tensor] = None) -> 'LinearProbe':
        """Minimize mean cross-entropy over the training pixels + ``weight_decay / 2 * ||W||^2``.

        ``statistics``: the features whose mean and covariance set the whitening (default ``features``;
        with few labelled frames, the unlabelled pool's: no label is used).
        """
        c, hw = features.shape[1], features.shape[-2:]
        source = features if statistics is None else statistics
        flat = source.permute(0, 2, 3, 1).reshape(-1, c).double()
        self.mean = flat.mean(0).float()
        eigenvalues, eigenvectors = torch.linalg.eigh(torch.cov(flat.T))
        scale = eigenvalues.clamp_min(self.eps * eigenvalues.max()).rsqrt()
        self.whiten = (eigenvectors * scale).float()
        pixels = self.pixels(features)
        ry, rx = upsampling_matrices(hw, labels.shape[-2:])
        offset = self.stride // 2
        ry, rx = ry[:, offset::self.stride], rx[:, offset::self.stride]
        target = labels[:, offset::self.stride, offset::self.stride]
        self.weight = torch.zeros(self.num_classes, c, requires_grad=True)
        self.bias = torch.zeros(self.num_classes, requires_grad=True)
        optimizer = torch.optim.LBFGS([self.weight, self.bias], lr=1, max_iter=self.max_iter, history_size=20,
                                      tolerance_grad=1e-6, tolerance_change=1e-9, line_search_fn='strong_wolfe')

        def objective() -> Tensor:
            up = ry.t() @ (self.logits(pixels, hw) @ rx)  # the full-size upsampled logits at the grid
            loss = F.cross_entropy(up, target, ignore_index=self.ignore)
            return loss + self.weight_decay / 2 * self.weight.pow(2).sum()

        def closure() -> Tensor:
            optimizer.zero_grad()
            loss = objective()
            loss.backward()
            return loss

        start = time.time()
        optimizer.step(closure)
        self.weight.requires_grad_(False)
        self.bias.requires_grad_(False)
        steps = optimizer.state[optimizer._params[0]]['n_iter']
        self.log = dict(train_loss=float(objective()), lbfgs_steps=int(steps), fit_seconds=time.time() - start)
        return self

    @torch.no_grad()
    def confusion(self, features: Tensor, labels: Tensor, batch_size: int = 16) -> Tensor:
        """Val confusion matrix with logits upsampled to the full label size."""
        total = torch.zeros(self.num_classes, self.num_classes, dtype=torch.int64)
        for start in range(0, len(features), batch_size):
            label = labels[start:start + batch_size]
            logits = self.logits(self.pixels(features[start:start + batch_size]), features.shape[-2:])
            up = F.interpolate(logits, size=label.shape[-2:], mode='bilinear', align_corners=False)
            total += confusion_matrix(up.argmax(1), label, self.num_classes, self.ignore)
        return total


def file_digest(path: Path) -> str:
    """SHA-1 of a file's bytes (checkpoints are re-written in place by a resumed run)."""
    digest = hashlib.sha1()
    with open(path, 'rb') as handle:
        for block in iter(lambda: handle.read(1 << 22), b''):
            digest.update(block)
    return digest.hexdigest()


def cached_features(trunk_key: str, trunk: nn.Module, files: Sequence[Tuple[Path, Path]],
                    cache_dir: Optional[Path]) -> Tensor:
    """:func:`extract_features` of the split's images, stored under ``cache_dir`` by backbone and files."""
    if cache_dir is None:
        return extract_features(trunk, [image for image, _ in files])
    listing = '\n'.join(str(image.resolve()) for image, _ in files)
    key = hashlib.sha1(f'{trunk_key}\n{listing}'.encode()).hexdigest()[:16]
    path = Path(cache_dir) / f'features_{key}.pt'
    if path.is_file():
        return torch.load(path, weights_only=True)
    features = extract_features(trunk, [image for image, _ in files])
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save(features, path.with_suffix('.tmp'))
    path.with_suffix('.tmp').replace(path)
    return features


def load_trunk(checkpoint: str, source: str = 'online', seed: int = 0, depth: int = 18) -> Tuple[nn.Module, str]:
    """The frozen trunk of ``checkpoint`` (a pre-training checkpoint, a backbone-only file, or ``'random'``)
    and the key its features are cached under (the checkpoint's digest, or the random seed)."""
    from ..checkpoints import load_backbone_state_dict
    if checkpoint == 'random':
        return resnet_trunk(None, depth, seed), f'random resnet{depth} seed {seed}'
    return resnet_trunk(load_backbone_state_dict(checkpoint, source)), f'{file_digest(Path(checkpoint))} {source}'


def trunk_features(trunk: nn.Module, trunk_key: str, data_root: str, frames: Dict[str, str],
                   cache_dir: Optional[str] = None) -> Tuple[Dict[str, Tensor], Dict[str, Tensor]]:
    """The trunk's final maps and the labels of each named frame set (``{name: split name or list file}``,
    :func:`frame_files`), the features cached under ``cache_dir`` by ``trunk_key`` and the frames."""
    files = {name: frame_files(Path(data_root), spec) for name, spec in frames.items()}
    cache = None if cache_dir is None else Path(cache_dir)
    features = {name: cached_features(trunk_key, trunk, pairs, cache) for name, pairs in files.items()}
    labels = {name: torch.stack([read_label(label) for _, label in pairs]) for name, pairs in files.items()}
    return features, labels


def backbone_features(checkpoint: str, data_root: str, frames: Dict[str, str], cache_dir: Optional[str] = None,
                      source: str = 'online', seed: int = 0,
                      depth: int = 18) -> Tuple[Dict[str, Tensor], Dict[str, Tensor]]:
    """:func:`trunk_features` of :func:`load_trunk`: ``{name: (N, C, h, w) features}`` and
    ``{name: (N, H, W) labels}`` of each named frame set.

    Args:
        checkpoint: A pre-training checkpoint, a backbone-only file, or ``'random'``.
        data_root: CamVid root (``train.txt``, ``train/``, ``trainannot/``, same for val).
        frames: ``{name: split name or list file}`` (:func:`frame_files`).
        cache_dir: Where the features are cached, keyed by the checkpoint's digest and the frames (``None``:
            not cached).
        source: ``'online'`` or ``'target'`` backbone of a pre-training checkpoint.
        seed: Seed of the random backbone (unused for a checkpoint).
        depth: ResNet depth of the random backbone.
    """
    trunk, trunk_key = load_trunk(checkpoint, source, seed, depth)
    return trunk_features(trunk, trunk_key, data_root, frames, cache_dir)


def probe_checkpoint(checkpoint: str, data_root: str, cache_dir: Optional[str] = None, source: str = 'online',
                     seed: int = 0, depth: int = 18, train_frames: str = 'train', eval_frames: str = 'val',
                     **probe_options) -> dict:
    """Probe one backbone on CamVid: fit on ``train_frames``, score on ``eval_frames``.

    Args:
        checkpoint, data_root, cache_dir, source, seed, depth: :func:`backbone_features`'s.
        train_frames, eval_frames: split names or list files of ``split/stem`` lines (:func:`frame_files`).
        **probe_options: :class:`LinearProbe` arguments (``weight_decay``, ``stride``, ``max_iter``).

    Returns:
        ``mIoU`` and ``IoU`` per class (percent), the fit's loss, L-BFGS steps and seconds, and the time
        spent on features.
    """
    start = time.time()
    features, labels = backbone_features(checkpoint, data_root, dict(train=train_frames, eval=eval_frames),
                                         cache_dir, source, seed, depth)
    return dict(probe_features(features, labels, **probe_options), feature_seconds=time.time() - start)


def probe_features(features: Dict[str, Tensor], labels: Dict[str, Tensor], **probe_options) -> dict:
    """The probe on cached features: fit on ``features['train']``, score on ``features['eval']``
    (:func:`probe_checkpoint`'s result but the feature time)."""
    probe = LinearProbe(len(CAMVID_CLASSES), CAMVID_VOID_ID, **probe_options)
    probe.fit(features['train'], labels['train'])
    iou = iou_per_class(probe.confusion(features['eval'], labels['eval']))
    return dict(mIoU=100 * float(np.nanmean(iou.numpy())),
                IoU={name: 100 * float(value) for name, value in zip(CAMVID_CLASSES, iou)}, **probe.log)
