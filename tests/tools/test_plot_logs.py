import json

import pytest
from PIL import Image

from tool_scripts import load_tool

plot_logs = load_tool('tools/analysis/plot_logs.py')


def write_session(run, name, records):
    folder = run / name / 'vis_data'
    folder.mkdir(parents=True)
    (folder / 'scalars.json').write_text('\n'.join(json.dumps(r) for r in records) + '\n')


def record(iteration, loss, lr=0.1, momentum=0.99):
    return dict(loss=loss, loss_1d=loss / 2, loss_2d=loss / 2, lr=lr, ema_momentum=momentum, epoch=1,
                iter=iteration, step=iteration)


def test_a_resumed_runs_sessions_join_and_the_later_one_wins(tmp_path):
    write_session(tmp_path, '20261129_010000', [record(1, -0.1), record(2, -0.2), record(3, -0.3)])
    write_session(tmp_path, '20261129_020000', [record(3, -0.35), record(4, -0.4)])  # resumed after 2
    series = plot_logs.read_series(plot_logs.scalar_files(str(tmp_path)))
    assert series['loss'] == {1: -0.1, 2: -0.2, 3: -0.35, 4: -0.4}
    assert series['loss_2d'][4] == -0.2 and set(series['ema_momentum']) == {1, 2, 3, 4}


def test_the_png_has_one_panel_per_logged_key(tmp_path):
    write_session(tmp_path / 'a', 's', [record(i, -0.1 * i) for i in range(1, 6)])
    write_session(tmp_path / 'b', 's', [{k: v for k, v in record(i, -0.2 * i).items() if k != 'ema_momentum'}
                                        for i in range(1, 6)])
    runs = {name: plot_logs.read_series(plot_logs.scalar_files(str(tmp_path / name))) for name in 'ab'}
    drawn = plot_logs.plot(runs, ['loss', 'lr', 'ema_momentum', 'not_logged'], tmp_path / 'out.png')
    assert drawn == ['loss', 'lr', 'ema_momentum']
    width, height = Image.open(tmp_path / 'out.png').size
    assert (width, height) == (800, 720)  # 8 x (3 panels x 2.4) inches at 100 dpi
    with pytest.raises(ValueError, match=r"none of \['nothing'\] was logged"):
        plot_logs.plot(runs, ['nothing'], tmp_path / 'none.png')
    with pytest.raises(FileNotFoundError, match='no scalars.json in'):
        plot_logs.scalar_files(str(tmp_path / 'missing'))
