"""Segmentation metrics by hand: the confusion matrix and IoU per class."""
import math

import pytest
import torch

from multisiam_mm.evaluation.segmentation_metrics import confusion_matrix, iou_per_class


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
