"""CamVid frames: a missing split or missing files are named with what the root must hold; frames and labels
read as the probe's tensors."""
import shutil
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from multisiam_mm.evaluation.camvid_frames import read_image, read_label, split_files

DEMO = Path(__file__).resolve().parents[2] / 'demo/camvid'


def test_a_missing_split_names_the_files_it_needs(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"val.txt does not exist: data_root must hold CamVid's val.txt"):
        split_files(tmp_path, 'val')
    shutil.copytree(DEMO / 'val', tmp_path / 'val')
    (tmp_path / 'val.txt').write_text((DEMO / 'val.txt').read_text())
    with pytest.raises(FileNotFoundError, match=r'9 files listed in .*val.txt are missing'):
        split_files(tmp_path, 'val')  # no valannot/


def test_a_frame_is_read_in_rgb_order_with_imagenet_statistics_and_a_label_as_its_ids(tmp_path):
    Image.fromarray(np.array([[[124, 116, 104], [0, 255, 0]]], np.uint8)).save(tmp_path / 'frame.png')  # 1x2
    image = read_image(tmp_path / 'frame.png')
    assert image.shape == (3, 1, 2) and image.dtype == torch.float32
    expected = [[(124 - 123.675) / 58.395, -123.675 / 58.395], [(116 - 116.28) / 57.12, (255 - 116.28) / 57.12],
                [(104 - 103.53) / 57.375, -103.53 / 57.375]]
    torch.testing.assert_close(image[:, 0], torch.tensor(expected))
    Image.fromarray(np.array([[0, 10, 11]], np.uint8)).save(tmp_path / 'label.png')
    label = read_label(tmp_path / 'label.png')
    assert label.dtype == torch.int64 and label.tolist() == [[0, 10, 11]]
