"""Segmentation metrics from a confusion matrix, as mmseg's ``IoUMetric``: void ignored, IoU per class, and
mIoU the mean over the classes present in labels or predictions.

Shared by the dense probe, label efficiency and unsupervised segmentation.
"""
import numpy as np
import torch
from torch import Tensor


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


def miou_percent(iou: Tensor) -> float:
    """mIoU in percent: the mean of :func:`iou_per_class` over the classes where it is defined (NaN left out)."""
    return 100 * float(np.nanmean(iou.numpy()))
