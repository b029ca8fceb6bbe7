"""The CamVid benchmark on the bundled demo frames: the dataset, FCN fine-tuning and the frozen-backbone
linear probe, each for one iteration and a validation pass, and the one-command shell entry."""
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from multisiam_mm.datasets.camvid_classes import CAMVID_CLASSES
from multisiam_mm.downstream.segmentation import CamVidDataset

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / 'demo' / 'camvid'
FCN = 'mmsegmentation/camvid/fcn-16s_r18_1k.py'
LINEAR_PROBE = 'mmsegmentation/camvid/linear-probe_r18_1k.py'


def test_dataset_reads_the_demo_layout_and_ignores_void():
    import cv2
    from mmengine.registry import init_default_scope

    init_default_scope('mmseg')  # mmseg's LoadAnnotations, not mmcv's

    dataset = CamVidDataset(
        data_root=str(DEMO), ann_file='train.txt',
        data_prefix=dict(img_path='train', seg_map_path='trainannot'),
        pipeline=[dict(type='LoadImageFromFile'), dict(type='LoadAnnotations')])
    assert len(dataset) == 31 and len(dataset.metainfo['classes']) == 11
    assert dataset.metainfo['classes'][0] == 'sky' and dataset.metainfo['classes'][10] == 'bicyclist'
    assert len(dataset.metainfo['palette']) == 11
    sample = dataset[0]
    raw = cv2.imread(sample['seg_map_path'], cv2.IMREAD_UNCHANGED)
    assert raw.shape == (360, 480) and (raw == 11).any()  # the demo frames do contain void
    label = sample['gt_seg_map']
    assert np.array_equal(label == 255, raw == 11)  # void -> ignore index
    assert np.array_equal(label[raw != 11], raw[raw != 11])  # the 11 classes keep their ids
    assert len(CamVidDataset(data_root=str(DEMO), ann_file='val.txt',
                             data_prefix=dict(img_path='val', seg_map_path='valannot'))) == 9


def test_reduce_zero_label_is_refused_with_the_fix():
    with pytest.raises(ValueError, match=r'would drop "sky" \(id 0\); void is id 11 and is already ignored: '
                                         'remove reduce_zero_label from the config'):
        CamVidDataset(data_root=str(DEMO), ann_file='val.txt', reduce_zero_label=True,
                      data_prefix=dict(img_path='val', seg_map_path='valannot'))


def test_the_configs_restate_the_class_count_of_the_one_class_list():
    """An mmseg config cannot import the class list (multisiam_mm.datasets.camvid_classes says why)."""
    from mmengine.config import Config

    for config in (FCN, LINEAR_PROBE):
        cfg = Config.fromfile(str(REPO / 'configs' / 'benchmarks' / config))
        assert cfg.model.decode_head.num_classes == len(CAMVID_CLASSES), config


def test_fcn_fine_tunes_one_iteration_on_demo_frames(load_benchmark_config, pretrain_checkpoint_r18,
                                                     run_one_iteration, assert_backbone_loaded):
    assert load_benchmark_config(FCN, pretrain_checkpoint_r18).data_root == 'demo/camvid/'  # the default
    cfg = load_benchmark_config(FCN, pretrain_checkpoint_r18, data_root=str(DEMO))
    cfg.train_dataloader.batch_size = 4
    runner, reports = run_one_iteration(cfg)
    assert runner.iter == 1
    assert 0 <= runner.message_hub.get_scalar('val/mIoU').current() <= 100
    assert_backbone_loaded(reports, pretrain_checkpoint_r18)


def test_linear_probe_trains_only_the_head(load_benchmark_config, pretrain_checkpoint_r18, run_one_iteration,
                                           assert_backbone_loaded):
    cfg = load_benchmark_config(LINEAR_PROBE, pretrain_checkpoint_r18, data_root=str(DEMO))
    cfg.train_dataloader.batch_size = 4
    runner, reports = run_one_iteration(cfg)
    assert_backbone_loaded(reports, pretrain_checkpoint_r18)
    model = runner.model
    state = torch.load(pretrain_checkpoint_r18, map_location='cpu', weights_only=True)['state_dict']
    for key, value in model.backbone.state_dict().items():  # weights and BN statistics untouched
        assert torch.equal(value, state[f'backbone.{key}']), key
    assert not any(param.requires_grad for param in model.backbone.parameters())
    assert all(param.requires_grad for param in model.decode_head.parameters())
    assert model.decode_head.conv_seg.weight.shape == (11, 512, 1, 1)
    assert 0 <= runner.message_hub.get_scalar('val/mIoU').current() <= 100


def test_one_command_from_checkpoint_to_miou(tmp_path, pretrain_checkpoint_r18):
    """bash tools/benchmarks/mmseg_train.sh CONFIG CKPT, shortened to one iteration."""
    work_dir = tmp_path / 'work_dir'
    command = [
        'bash', 'tools/benchmarks/mmseg_train.sh', f'configs/benchmarks/{LINEAR_PROBE}',
        pretrain_checkpoint_r18, '--work-dir', str(work_dir),
        '--cfg-options', 'train_cfg.max_iters=1', 'train_cfg.val_interval=1', 'train_dataloader.batch_size=2',
        'train_dataloader.num_workers=0', 'train_dataloader.persistent_workers=False',
        'val_dataloader.num_workers=0', 'val_dataloader.persistent_workers=False',
        'val_dataloader.dataset.indices=2', 'default_hooks.checkpoint=None']
    env = dict(os.environ, PYTHON=sys.executable)
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    log = result.stdout + result.stderr
    assert 'mIoU' in log and 'tensors equal backbone.*' in log
