"""Street-scene datasets and the IoU-constrained two-view pipeline (Sec. 3.2, 4.1); see docs/data.md."""
from .transforms import *  # noqa: F401,F403  (registers the transforms)
from .per_sample_seed import PerSampleSeedMixin, SeededSampler
from .unlabeled_image_list import UnlabeledImageList
from .waymo_camera_parquet import WaymoCameraParquet

__all__ = ['PerSampleSeedMixin', 'SeededSampler', 'UnlabeledImageList', 'WaymoCameraParquet']
