"""The dense probe's classifier (:mod:`.dense_probe`, "Classifier" and "Training pixels"): per-pixel softmax
regression on whitened frozen features, fit to convergence by full-batch L-BFGS, with bilinear upsampling
written as two matrices so that the loss on a grid of label pixels uses the exact full-size logits.
"""
import time
from typing import Optional

import torch
import torch.nn.functional as F
from torch import Tensor

from .segmentation_metrics import confusion_matrix


def upsampling_matrices(in_hw: tuple[int, int], out_hw: tuple[int, int]) -> tuple[Tensor, Tensor]:
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
        self.log: dict[str, float] = {}

    def pixels(self, features: Tensor) -> Tensor:
        """Whitened features as ``(N, C, h * w)``, each frame's pixels a column block."""
        n, c, h, w = features.shape
        flat = features.permute(0, 2, 3, 1).reshape(-1, c)
        return ((flat - self.mean) @ self.whiten).view(n, h * w, c).transpose(1, 2).contiguous()

    def logits(self, pixels: Tensor, hw: tuple[int, int]) -> Tensor:
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
