"""lab/benchmark_step.py keeps running against the current models (a smoke test, not a timing)."""
import re

import torch




def test_tool_reports_ratio_phases_components_macs_and_kmeans(capsys, monkeypatch):
    import lab.benchmark_step as tool
    monkeypatch.setattr(tool, 'KMEANS_SHAPES', [(4, 16), (8, 16)])
    threads = torch.get_num_threads()
    try:
        tool.main(['--depth', '18', '--batch', '2', '--size', '64', '--steps', '1', '--warmup', '1'])
    finally:
        torch.set_num_threads(threads)
    out = capsys.readouterr().out
    assert re.search(r'ratio MultiSiam / BYOL: \d+\.\d+ \(process CPU clock\)', out)
    for part in ('2D projector (online)', 'K-means targets', 'self-attention', 'alignment', '2D loss',
                 'EMA update', 'backward', 'optimizer (LARS)'):
        assert f'| {part} |' in out or f'|   {part} |' in out, part
    # the 2D branch adds compute: the MAC ratio is above 1 and, with hidden 4096 on a 2x2 map, modest
    mac_ratio = float(re.search(r'MAC ratio MultiSiam / BYOL: (\d+\.\d+)', out).group(1))
    assert 1.0 < mac_ratio < 1.3
    assert '| 8 | 16 |' in out  # K-means scaling rows
