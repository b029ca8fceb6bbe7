import pytest
import torch
from sklearn.cluster import KMeans

from multisiam_mm.models.clustering import batched_kmeans


def same_partition(a: torch.Tensor, b) -> bool:
    """Two label vectors describe the same partition (equal up to a permutation of labels)."""
    pairs = set(zip(a.tolist(), list(b)))
    return len(pairs) == len(set(a.tolist())) == len(set(list(b)))


def three_blobs(seed: int, n_per: int = 10) -> tuple[torch.Tensor, torch.Tensor]:
    """Points around three orthogonal directions in 8-D; label i for blob i."""
    gen = torch.Generator().manual_seed(seed)
    centers = torch.eye(8)[:3] * 5
    points = torch.cat([c + 0.1 * torch.randn(n_per, 8, generator=gen) for c in centers])
    labels = torch.arange(3).repeat_interleave(n_per)
    perm = torch.randperm(len(points), generator=gen)
    return points[perm], labels[perm]


@pytest.mark.parametrize('distance', ['cosine', 'euclidean'])
def test_recovers_separable_clusters_for_every_image_of_a_batch(distance):
    blobs = [three_blobs(seed) for seed in range(4)]
    points = torch.stack([p for p, _ in blobs])  # (4, 30, 8)
    assignments, centroids = batched_kmeans(points, num_clusters=3, distance=distance)
    assert assignments.shape == (4, 30) and centroids.shape == (4, 3, 8)
    for image, (_, labels) in enumerate(blobs):
        assert same_partition(assignments[image], labels.tolist())


def test_matches_scikit_learn_up_to_permutation():
    points, _ = three_blobs(seed=7)
    points = points + 0.8 * torch.randn(points.shape, generator=torch.Generator().manual_seed(1))
    ours, _ = batched_kmeans(points[None], num_clusters=3, num_iters=50, distance='euclidean')
    theirs = KMeans(n_clusters=3, n_init=10, random_state=0).fit_predict(points.double().numpy())
    assert same_partition(ours[0], theirs.tolist())


def test_cosine_centroids_are_unit_directions_of_the_blobs():
    points, labels = three_blobs(seed=3)
    assignments, centroids = batched_kmeans(points[None], num_clusters=3)
    assert torch.allclose(centroids.norm(dim=-1), torch.ones(1, 3), atol=1e-5)
    for k in range(3):
        axis = labels[assignments[0] == k][0]  # blob k points along basis vector `axis`
        assert centroids[0, k, axis] > 0.99


def test_identical_and_zero_points_give_no_nan():
    for points in (torch.ones(2, 16, 4), torch.zeros(2, 16, 4)):
        for distance in ('cosine', 'euclidean'):
            assignments, centroids = batched_kmeans(points, num_clusters=3, distance=distance)
            assert torch.isfinite(centroids).all()
            assert (assignments == assignments[:, :1]).all()  # one cluster holds every point


def test_batched_equals_one_image_at_a_time():
    points = torch.randn(5, 49, 16, generator=torch.Generator().manual_seed(0))
    batched, _ = batched_kmeans(points, num_clusters=3)
    for image in range(5):
        single, _ = batched_kmeans(points[image:image + 1], num_clusters=3)
        assert torch.equal(single[0], batched[image])


def test_rejects_bad_arguments():
    with pytest.raises(ValueError, match=r'num_clusters must be in \[1, 4\]'):
        batched_kmeans(torch.randn(1, 4, 2), num_clusters=5)
    with pytest.raises(ValueError, match='distance must be one of'):
        batched_kmeans(torch.randn(1, 4, 2), num_clusters=2, distance='manhattan')
