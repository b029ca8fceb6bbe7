"""The fine-tune length choice of lab/camvid_finetune_curve.py, on curves whose answer is read off by hand."""
import json

import pytest

from lab.camvid_finetune_curve import choose_length, metric_curve, run_minutes


def test_the_length_is_where_the_ranking_stops_changing():
    baseline = {100: 10.0, 200: 20.0, 300: 25.0, 400: 27.0, 500: 28.0}
    pretrained = {100: 12.0, 200: 19.0, 300: 26.0, 400: 28.0, 500: 29.0}  # above, below, then above for good
    choice = choose_length(baseline, pretrained, minutes_per_iter=0.02, max_minutes=20)  # 1000 its affordable
    assert choice == dict(iters=300, bound='ranking stable from here to the end of the curve',
                          ranking='pretrained above')


def test_the_time_bound_chooses_when_the_ranking_settles_later():
    baseline = {100: 10.0, 200: 20.0, 300: 25.0, 400: 27.0}
    pretrained = {100: 12.0, 200: 19.0, 300: 24.0, 400: 28.0}  # settles at 400
    choice = choose_length(baseline, pretrained, minutes_per_iter=0.06, max_minutes=20)  # 333 its affordable
    assert choice['iters'] == 300 and choice['bound'].startswith('time: the ranking settles at 400 iterations')
    assert choice['ranking'] == 'baseline above'
    with pytest.raises(ValueError, match='no validation point'):
        choose_length({100: 1.0}, {200: 2.0}, 0.01, 20)


def test_the_curve_and_the_minutes_are_read_from_mmengines_scalars(tmp_path):
    run = tmp_path / '20261207_120000' / 'vis_data'
    run.mkdir(parents=True)
    records = [dict(loss=1.0, time=0.5, iter=50, step=50), dict(loss=0.9, time=1.5, iter=100, step=100),
               dict(mIoU=12.5, time=0.2, step=100), dict(loss=0.8, time=1.0, iter=150, step=150),
               dict(mIoU=14.0, time=0.2, step=200)]  # validation records: a time, no iter (as mmengine logs them)
    (run / 'scalars.json').write_text('\n'.join(json.dumps(r) for r in records) + '\n')
    assert metric_curve(tmp_path) == {100: 12.5, 200: 14.0}
    assert run_minutes(tmp_path) == pytest.approx(1.0 * 150 / 60)  # mean 1 s an iteration, 150 iterations
