import os

import cv2
import torch

from data_test_utils import DEMO_CAMVID
from tool_scripts import load_tool


def test_visualize_pair_crops_writes_a_grid_png(tmp_path):
    tool = load_tool('tools/analysis/visualize_pair_crops.py')
    out = tmp_path / 'pairs.png'
    tool.main(['--img-dir', os.path.join(DEMO_CAMVID, 'train'), '--num-images', '2', '--pairs', '2',
               '--width', '120', '--out', str(out)])
    figure = cv2.imread(str(out))
    # 2 rows of (28 px title + 120 * 360 / 480 = 90 px image + 4 px gap), 3 thresholds of 120 px
    assert figure.shape == (2 * (28 + 90 + 4), 3 * 120, 3)


def test_crop_statistics_table_has_a_row_per_threshold():
    tool = load_tool('tools/analysis/visualize_pair_crops.py')
    table = tool.crop_statistics(360, 480, [0.5], 2000).splitlines()
    assert len(table) == 4 and table[2].startswith('| | BYOL (none) | 1.000 |')
    acceptance = float(table[3].split('|')[3])
    assert 0.25 < acceptance < 0.36  # about 0.31 for 4:3 frames (docs/data.md)


def test_benchmark_runs_both_pipelines_side_by_side_and_compares_decodes(capsys):
    import lab.benchmark_pipeline as tool
    threads, cv2_threads = torch.get_num_threads(), cv2.getNumThreads()
    try:  # the tool pins one thread, as in one dataloader worker
        tool.main(['--img-dir', os.path.join(DEMO_CAMVID, 'train'), '--num-images', '2', '--seconds', '0.2',
                   '--rounds', '1', '--large-size', '960', '720', '--psnr-pairs', '2', '--oversample', '1'])
    finally:
        torch.set_num_threads(threads)
        cv2.setNumThreads(cv2_threads)
    rows = [line for line in capsys.readouterr().out.splitlines() if line.startswith('| ')]
    speed = [row for row in rows if len(row.split('|')) == 8]
    quality = [row for row in rows if len(row.split('|')) == 9]
    shares = [row for row in rows if len(row.split('|')) == 6]
    assert len(speed) == 2 + 4 * 6  # header, rule, 4 image sets x 6 pipelines
    assert len(shares) == 2 + 4 and all(float(row.split('|')[2]) > 0 for row in shares[2:])  # where augmenting runs
    assert all(row.split('|')[4].strip() == row.split('|')[6].strip() == '1.00' for row in speed if '| byol |' in row)
    assert len(quality) == 2 + 4  # header, rule, one oversample value per image set
    assert quality[2].split('|')[3].strip() == 'identical'  # 480x360: crops below 2 x 224, never reduced
    assert float(quality[3].split('|')[3]) > 35  # 960x720 upscaled: reduced, within resampling noise
