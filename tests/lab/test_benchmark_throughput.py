"""lab/benchmark_throughput.py: model-only, pipeline-only and end-to-end pairs/s (no timing asserted)."""
import re

from tool_scripts import REPO


def test_tool_reports_model_pipeline_and_end_to_end_rates(capsys):
    import lab.benchmark_throughput as tool
    tool.main(['--depth', '18', '--batch', '2', '--size', '64', '--workers', '1', '--steps', '1',
               '--warmup', '1', '--num-images', '4', '--large-size', '640', '480', '--device', 'cpu',
               '--img-dir', str(REPO / 'demo' / 'camvid' / 'train')])
    out = capsys.readouterr().out
    rates = dict(re.findall(r'^(model only: \w+|pipeline only \(.+\)|end to end: MultiSiam \(.+\)) +(\d+\.\d) pairs/s$',
                            out, re.M))
    assert sorted(rates) == ['end to end: MultiSiam (device augments)', 'end to end: MultiSiam (workers augment)',
                             'model only: BYOL', 'model only: MultiSiam', 'pipeline only (device augments)',
                             'pipeline only (workers augment)'], out
    assert all(float(rate) > 0 for rate in rates.values()), out
    for path in ('device augments', 'workers augment'):
        assert re.search(rf'^{path}: pipeline / model \(MultiSiam\) \d+\.\d\d, end to end / model only \d+\.\d{{3}}$',
                         out, re.M)
    assert '1 workers' in out and '640x480 JPEGs' in out
