"""Segmentation metrics by hand: the confusion matrix, IoU per class and mIoU."""
import math

import pytest
import torch

from multisiam_mm.evaluation.segmentation_metrics import confusion_matrix, iou_per_class, miou_percent


def test_confusion_and_iou_by_hand():
    label = torch.tensor([0, 0, 1, 1, 2, 9])  # 9: ignored
    pred = torch.tensor([0, 1, 1, 1, 0, 2])
    confusion = confusion_matrix(pred, label, num_classes=4, ignore=9)
    assert confusion[0].tolist() == [1, 1, 0, 0] and confusion[1].tolist() == [0, 2, 0, 0]
    assert confusion[2].tolist() == [1, 0, 0, 0] and confusion.sum() == 5
    iou = iou_per_class(confusion)
    # class 0: TP 1, FP 1 (a 2 called 0), FN 1 -> 1/3; class 1: TP 2, FP 1 -> 2/3; class 2: 0/1; class 3 absent
    assert iou[:3].tolist() == pytest.approx([1 / 3, 2 / 3, 0.0])
    assert math.isnan(iou[3])


def test_miou_is_the_mean_over_the_classes_present():
    confusion = torch.tensor([[1, 1, 0, 0], [0, 2, 0, 0], [1, 0, 0, 0], [0, 0, 0, 0]])  # class 3 absent
    # IoU 1/3, 2/3, 0 and NaN: the mean of the first three, in percent
    assert miou_percent(iou_per_class(confusion)) == pytest.approx(100 / 3)
    assert miou_percent(iou_per_class(torch.eye(2, dtype=torch.int64) * 5)) == 100.0
