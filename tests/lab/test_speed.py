"""lab.speed: what the speed scripts share (the scripts themselves: tests/performance)."""
import numpy as np

from lab.speed import build_model, mosaics


def test_mosaic_tiles_native_frames_row_by_row():
    frames = [np.full((2, 3, 3), value, np.uint8) for value in (10, 20, 30, 40, 50)]  # 3 wide, 2 high
    first, second = mosaics(frames, (5, 3))[:2]  # 2 columns, 2 rows of frames, cut to 5 x 3
    assert first.shape == (3, 5, 3)
    assert (first[:2, :3] == 10).all() and (first[:2, 3:] == 20).all()  # row 0: frames 0, 1
    assert (first[2:, :3] == 30).all() and (first[2:, 3:] == 40).all()  # row 1: frames 2, 3 (cut to 1 row)
    assert (second[:2, :3] == 20).all() and (second[2:, 3:] == 50).all()  # starts at frame 1


def test_multisiam_options_change_only_the_multisiam_model():
    options = {'model.neck.projector_2d.hid_channels': 2048, 'model.head_2d.predictor.hid_channels': 1024}
    multisiam = build_model('MultiSiam', 18, 'cpu', options)
    byol = build_model('BYOL', 18, 'cpu')
    assert multisiam.neck.projector_2d.conv0.weight.shape == (2048, 512, 1, 1)  # ResNet-18: 512 channels in
    assert multisiam.head_2d.predictor.conv0.weight.shape == (1024, 258, 1, 1)  # 256 + 2 offset channels
    assert byol.neck.fc0.weight.shape == (4096, 512)  # BYOL keeps its config's widths
