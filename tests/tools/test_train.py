"""tools/train.py (multisiam_mm.apis.train) and tools/dist_train.sh on this CPU machine (the tests run from
the repo root)."""
import sys

import pytest
import torch

import multisiam_mm  # noqa: F401  (safe loading of mmengine checkpoints)
from subprocess_runs import TINY, free_port, run

def test_train_runs_two_iterations_on_cpu_and_writes_a_checkpoint(tmp_path):
    result = run([sys.executable, 'tools/train.py', TINY, '--work-dir', str(tmp_path)])
    assert 'No CUDA device: training on CPU' in result.stdout + result.stderr
    checkpoint = torch.load(tmp_path / 'epoch_1.pth', map_location='cpu')  # torch's safe loader
    assert checkpoint['meta']['iter'] == 2  # 8 frames / batch 4
    assert any(key.startswith('target_net.') for key in checkpoint['state_dict'])
    assert (tmp_path / 'last_checkpoint').read_text().strip().endswith('epoch_1.pth')


def test_the_log_leaves_the_target_out_in_one_line(tmp_path):
    result = run([sys.executable, 'tools/train.py', TINY, '--work-dir', str(tmp_path)])
    log = result.stdout + result.stderr
    assert 'skipped since its requires_grad' not in log  # OnlineOptimWrapperConstructor: no per-tensor warning
    assert log.count('optimizer: target_net left out (70 tensors, none trainable)') == 1
    assert log.count('paramwise_options') == 0 and log.count('optimizer: paramwise_cfg') == 1  # one line, not 208
    assert 'lr = base lr 1 x total batch 4 (4 per process x 1 processes x 1 accumulated) / 256' in log
    assert 'Converting a tensor with requires_grad=True to a scalar' not in log  # the NaN guard's own warning


def test_dist_train_runs_two_cpu_processes(tmp_path):
    result = run(['bash', 'tools/dist_train.sh', TINY, '2', '--work-dir', str(tmp_path)],
                 PORT=str(free_port()))
    checkpoint = torch.load(tmp_path / 'epoch_1.pth', map_location='cpu')
    assert checkpoint['meta']['iter'] == 1  # 8 frames over 2 ranks x batch 4
    assert 'gloo' in result.stdout + result.stderr


def test_main_waymo_config_trains_under_torchrun_on_cpu(tmp_path):
    """configs/multisiam_r50_waymo.py (ResNet-50, SyncBN, LARS) with only its data swapped."""
    run(['bash', 'tools/dist_train.sh', 'tests/fixtures/waymo_config_on_camvid_frames.py', '2',
         '--work-dir', str(tmp_path)], PORT=str(free_port()))
    checkpoint = torch.load(tmp_path / 'epoch_1.pth', map_location='cpu')
    assert checkpoint['meta']['iter'] == 2  # 8 frames over 2 ranks x batch 2
    assert checkpoint['state_dict']['backbone.layer4.2.conv3.weight'].shape == (2048, 512, 1, 1)


def test_amp_trains_on_cpu_with_bfloat16_autocast(tmp_path):
    result = run([sys.executable, 'tools/train.py', TINY, '--amp', '--work-dir', str(tmp_path)])
    assert "'type': 'CPUAmpOptimWrapper'" in result.stdout + result.stderr or \
        "type='CPUAmpOptimWrapper'" in result.stdout + result.stderr
    checkpoint = torch.load(tmp_path / 'epoch_1.pth', map_location='cpu')
    assert checkpoint['meta']['iter'] == 2
    assert all(torch.isfinite(v).all() for v in checkpoint['state_dict'].values() if v.is_floating_point())


def test_channels_last_trains_the_same_model_in_nhwc_layout(tmp_path):
    run([sys.executable, 'tools/train.py', TINY, '--work-dir', str(tmp_path / 'nchw')])
    run([sys.executable, 'tools/train.py', TINY, '--channels-last', '--work-dir', str(tmp_path / 'nhwc')])
    nchw = torch.load(tmp_path / 'nchw' / 'epoch_1.pth', map_location='cpu')['state_dict']
    nhwc = torch.load(tmp_path / 'nhwc' / 'epoch_1.pth', map_location='cpu')['state_dict']
    conv = nhwc['backbone.layer1.0.conv1.weight']  # (64, 64, 3, 3)
    assert conv.is_contiguous(memory_format=torch.channels_last) and not conv.is_contiguous()
    assert nhwc.keys() == nchw.keys()
    # same seed and data: only the kernels' rounding differs. Measured: at most 1.5% of a tensor's largest
    # entry (a BN bias that starts at 0) since the lr follows the batch and the attention values are
    # normalized, 0.4% before; 190% when the initialization differs
    for key, value in nchw.items():
        if value.is_floating_point():
            assert (nhwc[key] - value).abs().max() <= 0.05 * value.abs().max(), key


def test_tensorboard_is_one_switch_or_names_the_missing_package(monkeypatch):
    from mmengine.config import Config

    from multisiam_mm.apis import runner_setup
    cfg = Config.fromfile('configs/multisiam_r18_camvid.py')
    monkeypatch.setattr(runner_setup.importlib.util, 'find_spec', lambda name: object())  # installed
    runner_setup.use_tensorboard(cfg)
    runner_setup.use_tensorboard(cfg)  # once only
    assert [b['type'] for b in cfg.visualizer.vis_backends] == ['LocalVisBackend', 'TensorboardVisBackend']
    monkeypatch.setattr(runner_setup.importlib.util, 'find_spec', lambda name: None)  # not installed
    with pytest.raises(ModuleNotFoundError, match='--tensorboard needs the tensorboard package: pip install '
                                                  'tensorboard'):
        runner_setup.use_tensorboard(Config.fromfile('configs/multisiam_r18_camvid.py'))


def test_a_checkpoint_that_does_not_fit_stops_before_training(tmp_path):
    import subprocess

    from mmselfsup.registry import MODELS

    from subprocess_runs import ROOT
    r50 = MODELS.build(dict(type='ResNet', depth=50, out_indices=[4]))
    torch.save(dict(state_dict={f'backbone.{k}': v for k, v in r50.state_dict().items()}), tmp_path / 'r50.pth')
    result = subprocess.run([sys.executable, 'tools/train.py', TINY, '--work-dir', str(tmp_path / 'work'),
                             '--cfg-options', f'load_from={tmp_path / "r50.pth"}'],
                            cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode != 0
    assert "this checkpoint's backbone is a ResNet-50, the config's is a ResNet-18" in result.stderr
    assert not (tmp_path / 'work/epoch_1.pth').exists()
