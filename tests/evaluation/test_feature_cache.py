"""The feature cache: one file per backbone key and frame set, read back instead of running the trunk."""
import torch
from torch import nn

from multisiam_mm.evaluation.camvid_frames import frame_files
from multisiam_mm.evaluation.feature_cache import cached_features


class MustNotRun(nn.Module):
    """A trunk that fails if the cache is bypassed."""

    def forward(self, images):
        raise AssertionError('features were computed again instead of read from the cache')


def test_each_backbone_key_and_frame_set_gets_its_own_file(tiny_camvid, tmp_path):
    cache = tmp_path / 'cache'
    val, train = frame_files(tiny_camvid, 'val'), frame_files(tiny_camvid, 'train')
    coarse = cached_features('backbone a', nn.AvgPool2d(16), val, cache)  # (2, 3, 3, 4)
    fine = cached_features('backbone b', nn.AvgPool2d(8), val, cache)  # another key: not a's features
    assert coarse.shape == (2, 3, 3, 4) and fine.shape == (2, 3, 6, 8)
    assert cached_features('backbone a', nn.AvgPool2d(16), train, cache).shape == (4, 3, 3, 4)
    assert len(list(cache.glob('features_*.pt'))) == 3 and not list(cache.glob('*.tmp'))
    torch.testing.assert_close(cached_features('backbone a', MustNotRun(), val, cache), coarse, atol=0, rtol=0)
    torch.testing.assert_close(cached_features('backbone b', MustNotRun(), val, cache), fine, atol=0, rtol=0)
