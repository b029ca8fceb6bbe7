"""Label efficiency: seeded subsets shared by every backbone, and the probe on few labelled frames."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from multisiam_mm.evaluation import evaluate_backbone
from multisiam_mm.evaluation.label_efficiency import label_efficiency, labelled_subsets


def test_subsets_are_seeded_nested_in_the_pool_and_independent_of_the_other_sizes():
    subsets = labelled_subsets(20, sizes=(1, 4), subsets={1: 5, 4: 5}, seed=0)
    assert [len(s) for s in subsets[1]] == [1] * 5 and [len(s) for s in subsets[4]] == [4] * 5
    assert all(len(set(s.tolist())) == len(s) and s.max() < 20 for s in subsets[4])  # without replacement
    alone = labelled_subsets(20, sizes=(4,), subsets={4: 5}, seed=0)
    assert all((a == b).all() for a, b in zip(alone[4], subsets[4]))  # adding a size changes nothing
    other = labelled_subsets(20, sizes=(4,), subsets={4: 5}, seed=1)
    assert any((a != b).any() for a, b in zip(other[4], subsets[4]))
    with pytest.raises(ValueError, match=r'subsets of \[64\] frames do not fit in a pool of 20'):
        labelled_subsets(20, sizes=(4, 64))


def separable(frames: int, seed: int):
    """Cells whose first 3 channels score the classes; labels the argmax of their upsampling."""
    generator = torch.Generator().manual_seed(seed)
    features = torch.randn(frames, 8, 6, 8, generator=generator)
    labels = F.interpolate(features[:, :3] * 4, size=(24, 32), mode='bilinear', align_corners=False).argmax(1)
    return features, labels


def test_a_few_labelled_frames_suffice_on_a_separable_problem_and_more_do_not_hurt():
    pool, pool_labels = separable(12, seed=0)
    val, val_labels = separable(4, seed=1)
    results = label_efficiency(pool, pool_labels, val, val_labels, num_classes=3, ignore=9, sizes=(1, 4),
                               subsets={1: 3, 4: 2}, weight_decay=1e-6, stride=2)
    assert len(results['1']['mIoU']) == 3 and len(results['4']['mIoU']) == 2
    assert results['4']['mean'] > 90 and results['4']['mean'] >= results['1']['mean'] - 1
    assert results['1']['std'] == pytest.approx(float(np.std(results['1']['mIoU'])))  # over the subsets


def test_the_three_instruments_of_a_random_backbone_are_deterministic(tiny_camvid):
    # evaluated on the 4 train frames: 16 cells of 64x48 frames, enough for 11 clusters (2 val frames: 8)
    first = evaluate_backbone('random', str(tiny_camvid), eval_frames='train', seed=1, label_sizes=(1, 4))
    second = evaluate_backbone('random', str(tiny_camvid), eval_frames='train', seed=1, label_sizes=(1, 4))
    assert first['probe'].pop('fit_seconds') > 0 and second['probe'].pop('fit_seconds') > 0  # the only clock
    assert first == second
    assert sorted(first) == ['label_efficiency', 'probe', 'unsupervised']
    assert 0 < first['unsupervised']['mIoU'] <= 100 and 0 < first['unsupervised']['pixel_accuracy'] <= 100
    assert sorted(first['label_efficiency']) == ['1', '4'] and len(first['label_efficiency']['1']['mIoU']) == 5
    with pytest.raises(ValueError, match=r"unknown instruments \['knn'\]"):
        evaluate_backbone('random', str(tiny_camvid), instruments=('probe', 'knn'))


def test_sizes_larger_than_the_labelled_pool_are_left_out_with_a_note(tiny_camvid, monkeypatch):
    """The bundled demo has 31 train frames, the default sizes go to 64: those are left out, not fatal."""
    from multisiam_mm.evaluation import instruments
    notes = []
    monkeypatch.setattr(instruments, 'print_log', lambda message, **kwargs: notes.append(message))
    result = evaluate_backbone('random', str(tiny_camvid), eval_frames='train', seed=1,
                               instruments=('label_efficiency',), label_sizes=(1, 16))  # a pool of 4 frames
    assert sorted(result['label_efficiency']) == ['1']
    assert notes == ['label efficiency: subsets of [16] frames left out, larger than the pool of 4 labelled frames']
