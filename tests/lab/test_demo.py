"""The demo's table: both instruments, and a line on what each measures, so a first result is read rightly."""
from lab.demo import summary_table


def test_the_table_reports_both_instruments_with_what_they_measure():
    scores = {'random': {'probe': {'mIoU': 23.84}, 'unsupervised': {'mIoU': 10.46}},
              'multisiam': {'probe': {'mIoU': 20.58}, 'unsupervised': {'mIoU': 14.26}}}
    lines = summary_table(scores).splitlines()
    assert lines[0] == '| backbone | linear-probe mIoU | unsupervised segmentation mIoU |'
    assert lines[2:4] == ['| random | 23.84 | 10.46 |', '| multisiam | 20.58 | 14.26 |']
    assert lines[-2].startswith('- linear-probe mIoU: a per-pixel linear classifier fit on the frozen features')
    assert lines[-1].startswith('- unsupervised segmentation mIoU: K-means of the frozen features')
