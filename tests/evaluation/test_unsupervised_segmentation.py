"""Unsupervised segmentation: spherical K-means, Hungarian matching and the metric, on maps with known answers."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from multisiam_mm.evaluation.unsupervised_segmentation import (cluster_segmentation, match_clusters,
                                                               spherical_kmeans)


def three_directions(per_cluster: int, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Points around three orthogonal unit vectors of R^8 (cosine to their own axis above 0.9)."""
    generator = torch.Generator().manual_seed(seed)
    truth = torch.arange(3).repeat_interleave(per_cluster)
    points = F.one_hot(truth, 8).float() * 5 + 0.3 * torch.randn(len(truth), 8, generator=generator)
    return points, truth


def test_kmeans_recovers_separable_directions_and_is_seeded():
    points, truth = three_directions(40)
    centroids, score = spherical_kmeans(points, 3, seed=0, restarts=3)
    assignment = (F.normalize(points, dim=1) @ centroids.T).argmax(1)
    # the same partition as the truth, up to the clusters' order
    pairs = {(int(t), int(a)) for t, a in zip(truth, assignment)}
    assert len(pairs) == 3 and len({a for _, a in pairs}) == 3
    assert score > 0.9 * len(points)  # every point's cosine to its centroid above 0.9
    again, _ = spherical_kmeans(points, 3, seed=0, restarts=3)
    assert torch.equal(again, centroids)
    with pytest.raises(ValueError, match='2 feature cells cannot make 3 clusters'):
        spherical_kmeans(points[:2], 3)


def test_matching_by_hand():
    # rows: classes 0, 1, 2; columns: clusters. Cluster 2 is mostly class 0, cluster 0 class 1, cluster 1 class 2
    confusion = torch.tensor([[1, 0, 9], [8, 1, 0], [0, 7, 2]])
    assert match_clusters(confusion).tolist() == [1, 2, 0]  # cluster -> class


def test_clusters_equal_to_the_labels_under_a_permutation_score_100_and_void_is_ignored():
    generator = torch.Generator().manual_seed(0)
    labels = torch.randint(0, 4, (3, 12, 16), generator=generator)
    permutation = torch.tensor([2, 0, 3, 1])
    clusters = permutation[labels]
    labels[:, :2] = 9  # void rows: whatever the clusters say there is ignored
    clusters[:, :2] = 0
    result = cluster_segmentation(None, labels, num_classes=4, ignore=9, clusters=clusters)
    assert result['mIoU'] == 100 and result['pixel_accuracy'] == 100
    assert result['mapping'] == torch.argsort(permutation).tolist()


def test_a_hand_derived_partial_agreement():
    labels = torch.tensor([[[0, 0, 0, 0, 1, 1, 1, 1]]])
    clusters = torch.tensor([[[1, 1, 1, 0, 0, 0, 0, 0]]])
    result = cluster_segmentation(None, labels, num_classes=2, ignore=9, clusters=clusters)
    # cluster 1 -> class 0 (3 pixels), cluster 0 -> class 1 (4 pixels): class 0 IoU 3/4, class 1 IoU 4/5
    assert result['mapping'] == [1, 0]
    assert result['IoU'] == pytest.approx([75.0, 80.0]) and result['mIoU'] == pytest.approx(77.5)
    assert result['pixel_accuracy'] == pytest.approx(100 * 7 / 8)


def test_features_that_encode_the_classes_are_segmented_by_clustering():
    """Cells whose feature is their class's direction (plus noise): K-means finds the classes, and the
    upsampled cosines give every pixel of a cell its class."""
    generator = torch.Generator().manual_seed(1)
    cell_classes = torch.randint(0, 3, (4, 6, 8), generator=generator)
    features = F.one_hot(cell_classes, 16).permute(0, 3, 1, 2).float() * 4 \
        + 0.2 * torch.randn(4, 16, 6, 8, generator=generator)
    labels = F.interpolate(cell_classes[:, None].float(), scale_factor=4, mode='nearest')[:, 0].long()
    result = cluster_segmentation(features, labels, num_classes=3, ignore=9, seed=0, restarts=2)
    # bilinear upsampling moves the borders between cells of different classes by up to 2 pixels
    assert result['pixel_accuracy'] > 85 and result['mIoU'] > 75
    assert sorted(result['mapping']) == [0, 1, 2]


def test_the_same_features_give_the_same_result():
    generator = torch.Generator().manual_seed(2)
    features = torch.randn(2, 16, 6, 8, generator=generator)
    labels = torch.randint(0, 3, (2, 24, 32), generator=generator)
    first = cluster_segmentation(features, labels, num_classes=3, ignore=9, seed=5, restarts=2)
    second = cluster_segmentation(features, labels, num_classes=3, ignore=9, seed=5, restarts=2)
    assert first == second and np.isfinite(first['mIoU'])
