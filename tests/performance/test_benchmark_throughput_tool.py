"""tools/analysis/benchmark_throughput.py: model-only, pipeline-only and end-to-end pairs/s (no timing asserted)."""
import re

import numpy as np

from tool_scripts import REPO, load_tool


def test_mosaic_tiles_native_frames_row_by_row():
    pipeline = load_tool('tools/analysis/benchmark_pipeline.py')
    frames = [np.full((2, 3, 3), value, np.uint8) for value in (10, 20, 30, 40, 50)]  # 3 wide, 2 high
    first, second = pipeline.mosaics(frames, (5, 3))[:2]  # 2 columns, 2 rows of frames, cut to 5 x 3
    assert first.shape == (3, 5, 3)
    assert (first[:2, :3] == 10).all() and (first[:2, 3:] == 20).all()  # row 0: frames 0, 1
    assert (first[2:, :3] == 30).all() and (first[2:, 3:] == 40).all()  # row 1: frames 2, 3 (cut to 1 row)
    assert (second[:2, :3] == 20).all() and (second[2:, 3:] == 50).all()  # starts at frame 1


def test_tool_reports_model_pipeline_and_end_to_end_rates(capsys):
    tool = load_tool('tools/analysis/benchmark_throughput.py')
    tool.main(['--depth', '18', '--batch', '2', '--size', '64', '--workers', '1', '--steps', '1',
               '--warmup', '1', '--num-images', '4', '--large-size', '640', '480', '--device', 'cpu',
               '--img-dir', str(REPO / 'demo' / 'camvid' / 'train')])
    out = capsys.readouterr().out
    rates = dict(re.findall(r'^(model only: BYOL|model only: MultiSiam|pipeline only|end to end: MultiSiam)'
                            r' +(\d+\.\d) pairs/s$', out, re.M))
    assert len(rates) == 4 and all(float(rate) > 0 for rate in rates.values()), out
    assert re.search(r'end to end / model only \(MultiSiam\): \d+\.\d{3}$', out, re.M)
    assert '1 workers' in out and '640x480 JPEGs' in out
