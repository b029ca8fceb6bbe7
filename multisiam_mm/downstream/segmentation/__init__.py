"""MMSegmentation's side of the downstream plugin (imports mmseg): the CamVid dataset and the linear-probe
head of configs/benchmarks/mmsegmentation/."""
from .camvid_dataset import CamVidDataset
from .linear_probe_head import LinearProbeHead

__all__ = ['CamVidDataset', 'LinearProbeHead']
