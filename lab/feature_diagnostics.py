"""What a backbone's dense features keep besides classes: their rank, absolute position and per-cell locality.

Diagnostics of the CamVid evidence (docs/results.md, "Why pre-training does not pay here"). A random
ResNet's final map encodes where each cell is (zero padding leaves a trace that 17 convolutions spread over
a 12x15 map), and on street frames position alone is a strong class cue (road below, sky above). These
functions measure how much of that a pre-trained backbone keeps, and let the dense probe be given position
explicitly, so that a gap between two backbones can be split into "lost position" and "the rest".

All take final maps ``(N, C, h, w)`` of frames of one size.
"""


import torch
import torch.nn.functional as F
from torch import Tensor


def position_channels(num_frames: int, h: int, w: int) -> Tensor:
    """One-hot row and column planes ``(N, h + w, h, w)``: channel ``i < h`` is 1 on row ``i``, channel
    ``h + j`` is 1 on column ``j``. Appended to features, they give a linear probe a per-row and per-column
    class prior (the position cue without any image content)."""
    rows = torch.eye(h)[:, :, None].expand(h, h, w)
    cols = torch.eye(w)[:, None, :].expand(w, h, w)
    return torch.cat([rows, cols])[None].expand(num_frames, -1, -1, -1).contiguous()


def effective_rank(features: Tensor) -> float:
    """exp of the entropy of the cells' covariance spectrum (Roy & Vetterli 2007): how many directions
    carry the variance (C for equal variances, 1 for a single one); a dimensional-collapse check."""
    cells, _, _ = _cells(features)
    eigenvalues = torch.linalg.eigvalsh(torch.cov(cells.T)).clamp_min(0)
    share = eigenvalues / eigenvalues.sum()
    return float(torch.exp(-(share * share.clamp_min(1e-30).log()).sum()))


def _cells(features: Tensor) -> tuple[Tensor, Tensor, Tensor]:
    """Cells as rows ``(N h w, C)`` (float64) with their row and column index."""
    n, c, h, w = features.shape
    rows = torch.arange(h, dtype=torch.float64).view(1, h, 1).expand(n, h, w).reshape(-1)
    cols = torch.arange(w, dtype=torch.float64).view(1, 1, w).expand(n, h, w).reshape(-1)
    return features.permute(0, 2, 3, 1).reshape(-1, c).double(), rows, cols


def position_r2(train: Tensor, val: Tensor, ridge: float = 1.0) -> tuple[float, float]:
    """How well a linear map of a cell's features gives its row and its column: R^2 on ``val``.

    Ridge regression (penalty ``ridge`` on standardized features, bias free) fit on the ``train`` cells;
    ``R^2 = 1 - mean squared error / variance of the index`` on the val cells: 1 is exact position, 0 is no
    better than the mean index.
    """
    (x_train, row_train, col_train), (x_val, row_val, col_val) = _cells(train), _cells(val)
    mean, std = x_train.mean(0), x_train.std(0).clamp_min(1e-6)

    def design(x: Tensor) -> Tensor:
        return torch.cat([(x - mean) / std, torch.ones(len(x), 1, dtype=x.dtype)], 1)

    x_train, x_val = design(x_train), design(x_val)
    gram = x_train.T @ x_train + ridge * torch.eye(x_train.shape[1], dtype=x_train.dtype)
    scores = []
    for target_train, target_val in ((row_train, row_val), (col_train, col_val)):
        weights = torch.linalg.solve(gram, x_train.T @ target_train)
        scores.append(1 - float(((x_val @ weights - target_val) ** 2).mean() / target_val.var(unbiased=False)))
    return scores[0], scores[1]


def frame_similarity(features: Tensor) -> float:
    """Mean cosine between each cell and the mean cell of its frame, after removing the split's mean cell.

    1 when every cell of a frame carries the same vector (a frame-level feature copied to every cell), 0
    when a frame's cells cancel out; a random ResNet-18 on CamVid val gives 0.10. Image-level (1D) objectives
    pull the final map toward the frame's mean; a per-pixel probe then has less to separate cells with.
    """
    centred = features - features.mean(dim=(0, 2, 3), keepdim=True)
    cells = F.normalize(centred, dim=1)
    frame = F.normalize(centred.mean(dim=(2, 3), keepdim=True), dim=1)
    return float((cells * frame).sum(1).mean())
