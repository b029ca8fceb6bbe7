"""The learning curves' bookkeeping: where a recipe variant's runs go and what reaches its pre-training."""
import importlib
import json
import sys

import pytest


@pytest.fixture
def curves(tmp_path, monkeypatch):
    """camvid_curves with pre-training and probing replaced by recorders (the runs are the demo's steps)."""
    tool = importlib.reload(importlib.import_module('lab.camvid_curves'))  # fresh: the test patches it
    (tmp_path / 'data').mkdir()
    (tmp_path / 'data/train.txt').write_text('a\n')
    (tmp_path / 'data/val.txt').write_text('b\n')
    calls = {'pretrain': [], 'probe': []}

    def pretrain(config, work_dir, options, log_file):
        calls['pretrain'].append((config, work_dir, list(options)))
        return f'{work_dir}/epoch_10.pth'

    def evaluate(checkpoint, data_root, cache_dir, train_frames, eval_frames, seed, instruments):
        calls['probe'].append(checkpoint)
        calls.setdefault('instruments', []).append(list(instruments))
        score = 20.0 if checkpoint == 'random' else 21.0
        measured = {'probe': {'mIoU': score}, 'unsupervised': {'mIoU': score / 2},
                    'label_efficiency': {'4': {'mean': score / 4}}}
        return {name: measured[name] for name in instruments}

    monkeypatch.setattr(tool, 'pretrain', pretrain)
    monkeypatch.setattr(tool, 'evaluate_backbone', evaluate)
    monkeypatch.setattr(tool, 'plot', lambda *args: None)
    return tool, calls, tmp_path


def run(tool, tmp_path, monkeypatch, *argv):
    monkeypatch.setattr(sys, 'argv', ['camvid_curves.py', '--data-root', str(tmp_path / 'data'),
                                      '--work-dir', str(tmp_path / 'work'), *argv])
    tool.main()
    return json.loads((tmp_path / 'work/curves.json').read_text())


def test_a_variant_runs_apart_with_its_options_after_the_shared_recipe(curves, monkeypatch):
    tool, calls, tmp_path = curves
    results = run(tool, tmp_path, monkeypatch, '--methods', 'MultiSiam', '--epochs', '10', '--every', '5',
                  '--seed', '1', '--tag', 'lambda0', '--cfg-options', 'model.loss_weight_1d=0.0')
    (config, work_dir, options), = calls['pretrain']
    assert config == 'configs/multisiam_r18_camvid.py'
    assert work_dir == str(tmp_path / 'work/MultiSiam@lambda0/10e/seed1/pretrain')
    assert options[-1] == 'model.loss_weight_1d=0.0'  # last: it overrides the shared recipe
    assert 'train_cfg.max_epochs=10' in options and 'randomness.seed=1' in options
    assert calls['probe'] == ['random', f'{work_dir}/epoch_5.pth', f'{work_dir}/epoch_10.pth']
    assert sorted(results) == ['MultiSiam@lambda0/10e/seed1/epoch10', 'MultiSiam@lambda0/10e/seed1/epoch5',
                               'random init/seed1']


def test_the_plain_recipe_and_each_budget_keep_their_own_runs(curves, monkeypatch):
    tool, calls, tmp_path = curves
    run(tool, tmp_path, monkeypatch, '--methods', 'BYOL', '--epochs', '10', '--every', '10')
    results = run(tool, tmp_path, monkeypatch, '--methods', 'BYOL', '--epochs', '20', '--every', '20')
    assert [work_dir for _, work_dir, _ in calls['pretrain']] == [
        str(tmp_path / 'work/BYOL/10e/seed0/pretrain'), str(tmp_path / 'work/BYOL/20e/seed0/pretrain')]
    assert sorted(results) == ['BYOL/10e/seed0/epoch10', 'BYOL/20e/seed0/epoch20', 'random init/seed0']
    assert calls['probe'].count('random') == 1  # the second call reuses the saved random-init probe


def test_a_variant_needs_a_name_and_its_options(curves, monkeypatch):
    tool, _, tmp_path = curves
    with pytest.raises(SystemExit):
        run(tool, tmp_path, monkeypatch, '--tag', 'lambda0')
    with pytest.raises(SystemExit):
        run(tool, tmp_path, monkeypatch, '--cfg-options', 'model.loss_weight_1d=0.0')


def test_a_record_of_the_probe_alone_gets_the_other_instruments_added(curves, monkeypatch):
    """curves.json written before the unsupervised and label-efficiency instruments: the probe is kept."""
    tool, calls, tmp_path = curves
    (tmp_path / 'work').mkdir()
    (tmp_path / 'work/curves.json').write_text(json.dumps({'random init/seed0': {'mIoU': 29.0, 'IoU': {}}}))
    results = run(tool, tmp_path, monkeypatch, '--methods', 'BYOL', '--epochs', '10', '--every', '10')
    assert calls['instruments'][0] == ['unsupervised', 'label_efficiency']  # the random init: no new probe
    assert results['random init/seed0']['mIoU'] == 29.0 and results['random init/seed0']['unsupervised']['mIoU'] == 10.0
    assert calls['instruments'][1] == ['probe', 'unsupervised', 'label_efficiency']
    assert results['BYOL/10e/seed0/epoch10']['label_efficiency']['4']['mean'] == 21.0 / 4


def test_workers_reach_the_pre_training_and_relative_paths_are_made_absolute(curves, monkeypatch):
    tool, calls, tmp_path = curves
    monkeypatch.chdir(tmp_path)  # the pre-training runs from the repo root: relative paths must not reach it
    monkeypatch.setattr(sys, 'argv', ['camvid_curves.py', '--data-root', 'data', '--work-dir', 'work',
                                      '--methods', 'BYOL', '--epochs', '10', '--every', '10', '--workers', '14'])
    tool.main()
    (_, work_dir, options), = calls['pretrain']
    assert work_dir == str(tmp_path / 'work/BYOL/10e/seed0/pretrain')
    assert f'train_dataloader.dataset.data_root={tmp_path / "data"}/' in options
    assert f'train_dataloader.dataset.ann_file={tmp_path / "work/pretrain_frames.txt"}' in options
    assert options[-1] == 'train_dataloader.num_workers=14'


def test_only_every_measure_every_th_checkpoint_is_measured(curves, monkeypatch):
    tool, calls, tmp_path = curves
    results = run(tool, tmp_path, monkeypatch, '--methods', 'BYOL', '--epochs', '150', '--every', '25',
                  '--measure-every', '150')
    (_, work_dir, options), = calls['pretrain']
    assert 'default_hooks.checkpoint.interval=25' in options  # kept to resume from
    assert calls['probe'] == ['random', f'{work_dir}/epoch_150.pth']
    assert sorted(results) == ['BYOL/150e/seed0/epoch150', 'random init/seed0']
    with pytest.raises(SystemExit):
        run(tool, tmp_path, monkeypatch, '--every', '25', '--measure-every', '40')
