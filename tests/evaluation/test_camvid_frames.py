"""CamVid frame lists: a missing split or missing files are named with what the root must hold."""
import shutil
from pathlib import Path

import pytest

from multisiam_mm.evaluation.camvid_frames import split_files

DEMO = Path(__file__).resolve().parents[2] / 'demo/camvid'


def test_a_missing_split_names_the_files_it_needs(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"val.txt does not exist: data_root must hold CamVid's val.txt"):
        split_files(tmp_path, 'val')
    shutil.copytree(DEMO / 'val', tmp_path / 'val')
    (tmp_path / 'val.txt').write_text((DEMO / 'val.txt').read_text())
    with pytest.raises(FileNotFoundError, match=r'9 files listed in .*val.txt are missing'):
        split_files(tmp_path, 'val')  # no valannot/
