"""lab.probe_diagnostics: the probe with the position prior, BN statistics re-estimated on the frames."""
import pytest
import torch

from lab.probe_diagnostics import diagnose, reestimate_bn
from multisiam_mm.evaluation.camvid_frames import read_image
from multisiam_mm.evaluation.frozen_trunk import resnet_trunk


def test_the_position_prior_alone_ignores_the_backbone_and_appending_it_is_reported(tiny_camvid):
    only = [diagnose('random', str(tiny_camvid), seed=seed, position='only') for seed in (0, 1)]
    assert only[0]['mIoU'] == only[1]['mIoU'] and only[0]['IoU'] == only[1]['IoU']  # no image content
    assert only[0]['position_r2'] != only[1]['position_r2']  # the diagnostics are still the backbone's
    plain = diagnose('random', str(tiny_camvid), seed=0)
    appended = diagnose('random', str(tiny_camvid), seed=0, position='append')
    assert appended['position_r2'] == plain['position_r2'] and -1 < plain['frame_similarity'] < 1
    assert appended['effective_rank'] == plain['effective_rank']  # the backbone's, not the planes'
    with pytest.raises(ValueError, match=r"position must be one of \('none', 'append', 'only'\), got 'rows'"):
        diagnose('random', str(tiny_camvid), position='rows')


def test_bn_reestimation_gives_the_mean_and_variance_of_the_frames(tiny_camvid):
    images = [tiny_camvid / 'train' / f'{stem}.jpg' for stem in (tiny_camvid / 'train.txt').read_text().split()]
    trunk = reestimate_bn(resnet_trunk(None, 18, seed=0), images, batch_size=2)
    with torch.no_grad():
        first = trunk[0](torch.stack([read_image(path) for path in images]))  # conv1 output, all 4 frames
    # equal batches: the cumulative average of the two batch means is the mean over all frames
    torch.testing.assert_close(trunk[1].running_mean, first.mean((0, 2, 3)), atol=1e-4, rtol=1e-4)
    assert not trunk.training and trunk[1].momentum is None
