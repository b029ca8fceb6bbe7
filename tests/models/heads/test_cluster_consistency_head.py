import torch
import torch.nn.functional as F

from multisiam_mm.models.heads import ClusterConsistencyHead

from multisiam_mm.models.clustering import ClusterTargets
from multisiam_mm.models.losses import ClusterConsistencyLoss
from multisiam_mm.models.alignment import AlignedPair, OffsetAlignment


def two_cluster_map():
    """1 image, 2-D features on 4 pixels: two along x (lengths 1, 3), two near y."""
    pixels = torch.tensor([[1.0, 0], [3, 0], [0.1, 1], [-0.1, 1]])
    return pixels.t()[None, :, None, :]  # (1, 2, 1, 4)


def test_loss_is_minus_one_for_identical_and_plus_one_for_opposite():
    pred = torch.randn(2, 8, 5)
    target = F.normalize(pred, dim=1)
    loss = ClusterConsistencyLoss()
    assert torch.allclose(loss(pred, target, torch.tensor([True, True])), torch.tensor(-1.0))
    assert torch.allclose(loss(pred, -target, torch.tensor([True, True])), torch.tensor(1.0))


def test_loss_leaves_invalid_pairs_out():
    pred = torch.randn(2, 8, 5)
    target = torch.stack([F.normalize(pred[0], dim=0), -F.normalize(pred[1], dim=0)])
    assert torch.allclose(ClusterConsistencyLoss()(pred, target, torch.tensor([True, False])),
                          torch.tensor(-1.0))


def test_centroid_targets_are_the_clusters_directions():
    targets = ClusterTargets(num_clusters=2)(two_cluster_map())[0]  # (2, 4)
    assert torch.allclose(targets[:, 0], torch.tensor([1.0, 0]))  # cluster of x-pixels: direction x
    assert torch.allclose(targets[:, 1], targets[:, 0])
    assert torch.allclose(targets[:, 2], torch.tensor([0.0, 1]), atol=1e-6)  # symmetric pair: y


def test_euclidean_targets_are_the_clusters_raw_means():
    """Table 3b "Euclidean": assignments and centroids in raw feature space, not on the unit sphere."""
    pixels = torch.tensor([[1.0, 0], [0, 10], [-50, -50], [-52, -50]])  # two clusters by distance
    targets = ClusterTargets(num_clusters=2, distance='euclidean')(pixels.t()[None, :, None, :])[0]
    near = F.normalize(torch.tensor([0.5, 5.0]), dim=0)  # raw mean of (1, 0) and (0, 10): (1, 10) / sqrt(101)
    assert torch.allclose(targets[:, 0], near) and torch.allclose(targets[:, 1], near)
    assert torch.allclose(targets[:, 2], F.normalize(torch.tensor([-51.0, -50]), dim=0))
    # the cosine clustering's centroid would be the mean direction of the unit vectors, (1, 1) / sqrt(2)
    assert not torch.allclose(near, F.normalize(torch.tensor([1.0, 1.0]), dim=0), atol=0.1)


def test_dense_targets_average_the_clusters_unit_vectors():
    targets = ClusterTargets(num_clusters=2, dense=True)(two_cluster_map())[0]
    y_cluster = F.normalize(torch.tensor([[0.1, 1], [-0.1, 1]]), dim=1).mean(0)  # length < 1
    assert torch.allclose(targets[:, 2], y_cluster) and targets[:, 2].norm() < 1
    # so -<q_hat, target> is the mean cosine to the cluster's pixels
    q = torch.tensor([0.3, 1.0])
    mean_cos = F.cosine_similarity(q[None], torch.tensor([[0.1, 1], [-0.1, 1]])).mean()
    assert torch.allclose(F.normalize(q, dim=0) @ targets[:, 2], mean_cos)


def test_head_without_clustering_targets_each_pixel():
    head = ClusterConsistencyHead(
        predictor=dict(type='ConvMLPNeck', in_channels=2, hid_channels=4, out_channels=2,
                       norm_cfg=dict(type='BN')),
        loss=dict(type='ClusterConsistencyLoss'))
    target = two_cluster_map()
    aligned = AlignedPair(target, target, torch.tensor([True]))
    assert torch.allclose(head.targets(aligned), F.normalize(target.flatten(2), dim=1))
    loss = head(aligned)
    assert loss.shape == () and torch.isfinite(loss)
    loss.backward()
    assert head.predictor.conv0.weight.grad.abs().sum() > 0


def test_self_attention_measures_similarity_on_g_and_the_offsets():
    """Eq. (8) reads sim(R_ij, R_i'j') with R = [G; Delta C] under offset alignment (Eq. 6), on paper:
    G alternates (1, 0) and (0, 1) over a 2x2 map, orthogonal, so on G alone sim = 0 between them. The
    target crop is the online crop moved right by one cell (10 px of 20 px, 2 cells, centers 10 px
    apart), so Delta C = (1, 0) everywhere: R = (1, 0, 1, 0) and (0, 1, 1, 0), cos = 1/2, sim = 1/4."""
    g = torch.tensor([[1.0, 0], [0, 1], [1, 0], [0, 1]]).t().reshape(1, 2, 2, 2)
    aligned = OffsetAlignment()(g, g, torch.tensor([[0.0, 0, 20, 20]]), torch.tensor([[10.0, 0, 30, 20]]))
    assert torch.allclose(aligned.online[0, 2:].flatten(1).t(), torch.tensor([[1.0, 0]] * 4))
    head = ClusterConsistencyHead(
        predictor=dict(type='ConvMLPNeck', in_channels=4, hid_channels=8, out_channels=3,
                       norm_cfg=dict(type='BN')),
        loss=dict(type='ClusterConsistencyLoss'), attention=dict(type='PixelSelfAttention')).eval()
    sim = torch.tensor([[1, 0.25, 1, 0.25], [0.25, 1, 0.25, 1], [1, 0.25, 1, 0.25], [0.25, 1, 0.25, 1]])
    values = F.normalize(head.predictor(aligned.online).flatten(2), dim=1)  # q_hat(R): (1, 3, 4)
    assert torch.allclose(head.predict(aligned).flatten(2), values @ sim, atol=1e-5)
