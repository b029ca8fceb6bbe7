"""lab/camvid_instruments.py: what is measured, what is reused, how runs are summarized."""
import json

from lab import camvid_instruments


def fake_results(seed: int) -> dict:
    efficiency = {str(n): {'mean': 10.0 + n + seed, 'std': 1.0, 'mIoU': [10.0 + n + seed]} for n in (1, 4, 16, 64)}
    return {'probe': {'mIoU': 20.0 + seed}, 'unsupervised': {'mIoU': 5.0 + seed, 'pixel_accuracy': 50.0 + seed},
            'label_efficiency': efficiency}


def test_backbones_are_measured_once_and_summarized_per_method(tmp_path, monkeypatch, capsys):
    tool = camvid_instruments
    calls = []

    def evaluate(checkpoint, data_root, cache_dir, train_frames, eval_frames, seed, label_sizes):
        calls.append((checkpoint, seed, train_frames, eval_frames))
        return fake_results(seed)
    monkeypatch.setattr(tool, 'evaluate_backbone', evaluate)
    out = tmp_path / 'instruments.json'
    argv = ['random/seed0=random:0', 'random/seed1=random:1', '--out', str(out), '--eval-frames', 'my_list.txt']
    tool.main(argv)
    assert calls == [('random', 0, 'train', 'my_list.txt'), ('random', 1, 'train', 'my_list.txt')]
    assert json.loads(out.read_text())['random/seed1']['identity'] == ('random:1 | train train | eval my_list.txt | '
                                                                      'sizes [1, 4, 16, 64]')
    tool.main(argv)  # both stored already: nothing measured again
    assert len(calls) == 2
    tool.main(argv[:2] + ['--out', str(out)])  # other frames: measured again
    assert len(calls) == 4
    table = capsys.readouterr().out
    assert '| random (2) | 20.50 +- 0.50 | 5.50 +- 0.50 | 50.50 +- 0.50 | 11.50 +- 0.50 |' in table


def test_label_efficiency_is_compared_subset_by_subset_with_the_first_method():
    tool = camvid_instruments

    def result(subset_mious: dict) -> dict:
        return {'label_efficiency': {str(n): {'mIoU': subset_mious.get(n, [0.0])} for n in (1, 4, 16, 64)}}
    results = {'random/seed0': result({1: [10.0, 20.0, 30.0], 4: [40.0, 40.0, 40.0]}),
               'random/seed1': result({1: [12.0, 22.0, 32.0], 4: [42.0, 42.0, 42.0]}),
               # subset means 11, 21, 31 and 41 for random; 1 labelled: +4, -2, +1; 4 labelled: -1 on every subset
               'byol/seed0': result({1: [15.0, 19.0, 32.0], 4: [40.0, 40.0, 40.0]})}
    table = tool.paired_gains(results, list(results))
    assert '| byol | +1.00 (2/3) | -1.00 (0/3) |' in table
    assert '64 labelled' not in table  # one subset of 64: nothing to pair


def test_the_label_sizes_are_an_option_and_the_tables_follow_what_was_measured(tmp_path, monkeypatch, capsys):
    """The bundled demo: 31 labelled frames, so --label-sizes 1 4 16 (64 would be left out anyway)."""
    tool = camvid_instruments
    asked = []

    def evaluate(checkpoint, data_root, cache_dir, train_frames, eval_frames, seed, label_sizes):
        asked.append(list(label_sizes))
        result = fake_results(seed)
        result['label_efficiency'] = {n: v for n, v in result['label_efficiency'].items() if int(n) in label_sizes}
        return result
    monkeypatch.setattr(tool, 'evaluate_backbone', evaluate)
    tool.main(['demo/seed0=random:0', '--out', str(tmp_path / 'out.json'), '--label-sizes', '1', '4', '16'])
    assert asked == [[1, 4, 16]]
    table = capsys.readouterr().out
    assert '| 16 labelled frames |' in table and '64 labelled' not in table
