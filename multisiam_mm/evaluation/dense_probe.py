"""The deterministic dense linear probe: frozen backbone, cached features, a per-pixel linear classifier.

The instrument of the CamVid evidence (docs/results.md). Plain torch and torchvision: it needs neither
mmseg nor mmcv's compiled ops, so the demo runs it on a fresh machine in minutes.

Protocol (what the paper does not fix is chosen here, and said), one module a part:

* **Backbone** (:mod:`.frozen_trunk`): a torchvision ResNet with the checkpoint's online backbone
  (``backbone.*``; the EMA target with ``source='target'``), in eval mode (BN uses the running statistics
  of pre-training), frozen. A random backbone is torchvision's initialization (Kaiming-normal fan-out
  convolutions, BN 1/0: the distribution of mmcls' ResNet init that pre-training starts from) under
  ``torch.manual_seed(seed)``.
* **Frames** (:mod:`.camvid_frames`, :mod:`.feature_cache`): the full 480x360 train and val frames, no
  crop or flip, ImageNet mean/std in RGB; the final map (stride 32: 12x15) of every frame is computed once
  and cached.
* **Classifier** (:mod:`.linear_probe`): a 1x1 linear map on the features whitened with train statistics;
  logits bilinearly upsampled to the label size (``F.interpolate``, ``align_corners=False``); cross-entropy
  with void ignored, plus ``weight_decay / 2 * ||W||^2``. Convex with a unique minimum, so it is trained to
  convergence by full-batch L-BFGS: nothing random, no schedule to tune, and the same checkpoint gives the
  same mIoU.
* **Training pixels**: the loss is taken on every ``stride``-th label pixel in each direction (1/64 of
  the pixels at 8); the logits there are exactly the full-size upsampled ones (bilinear upsampling is
  separable, :func:`.linear_probe.upsampling_matrices`). Evaluation scores every val pixel.
* **Metric** (:mod:`.segmentation_metrics`): IoU per class from the val confusion matrix (void ignored);
  mIoU is the mean over classes present in labels or predictions (mmseg's ``IoUMetric``).
"""
import time
from typing import Optional

from torch import Tensor

from ..datasets.camvid_classes import CAMVID_CLASSES, CAMVID_VOID_ID
from .feature_cache import backbone_features
from .linear_probe import LinearProbe
from .segmentation_metrics import iou_per_class, miou_percent


def probe_checkpoint(checkpoint: str, data_root: str, cache_dir: Optional[str] = None, source: str = 'online',
                     seed: int = 0, depth: int = 18, train_frames: str = 'train', eval_frames: str = 'val',
                     **probe_options) -> dict:
    """Probe one backbone on CamVid: fit on ``train_frames``, score on ``eval_frames``.

    Args:
        checkpoint, data_root, cache_dir, source, seed, depth: :func:`backbone_features`'s.
        train_frames, eval_frames: split names or list files of ``split/stem`` lines
            (:func:`.camvid_frames.frame_files`).
        **probe_options: :class:`LinearProbe` arguments (``weight_decay``, ``stride``, ``max_iter``).

    Returns:
        ``mIoU`` and ``IoU`` per class (percent), the fit's loss, L-BFGS steps and seconds, and the time
        spent on features.
    """
    start = time.time()
    features, labels = backbone_features(checkpoint, data_root, dict(train=train_frames, eval=eval_frames),
                                         cache_dir, source, seed, depth)
    return dict(probe_features(features, labels, **probe_options), feature_seconds=time.time() - start)


def probe_features(features: dict[str, Tensor], labels: dict[str, Tensor], **probe_options) -> dict:
    """The probe on cached features: fit on ``features['train']``, score on ``features['eval']``
    (:func:`probe_checkpoint`'s result but the feature time)."""
    probe = LinearProbe(len(CAMVID_CLASSES), CAMVID_VOID_ID, **probe_options)
    probe.fit(features['train'], labels['train'])
    iou = iou_per_class(probe.confusion(features['eval'], labels['eval']))
    return dict(mIoU=miou_percent(iou),
                IoU={name: 100 * float(value) for name, value in zip(CAMVID_CLASSES, iou)}, **probe.log)
