"""Runs started before the core became host-free go on: a config and checkpoint written by main at 54b598e
(tests/fixtures/legacy_54b598e: ``custom_imports=['multisiam_mm']``, the scoped type
``mmselfsup.ViewAugmentPreprocessor``, mmselfsup's packing and ``CosineEMA``) resume through tools/train.py
and log what that commit logged for the same epoch."""
import json
import sys
from pathlib import Path

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmselfsup.registry import MODELS

from subprocess_runs import ROOT, run
from test_reliability import logged_records

LEGACY = ROOT / 'tests/fixtures/legacy_54b598e'


def test_a_legacy_checkpoint_resumes_with_the_same_losses(tmp_path):
    run([sys.executable, 'tools/train.py', str(LEGACY / 'legacy_tiny.py'), '--work-dir', str(tmp_path),
         '--resume', str(LEGACY / 'epoch_1.pth'), '--cfg-options', 'train_cfg.max_epochs=2'])
    expected = {record['iter']: record for record in map(json.loads, (LEGACY / 'epoch_2_scalars.json').open())}
    got = logged_records(tmp_path)
    assert sorted(got) == sorted(expected) == [3, 4]
    for iteration in expected:
        for key in ('loss_1d', 'loss_2d', 'lr', 'ema_momentum'):
            assert got[iteration][key] == pytest.approx(expected[iteration][key], abs=1e-6), (iteration, key)


def test_a_legacy_config_builds_the_model_of_its_checkpoint():
    cfg = Config.fromfile(str(LEGACY / 'legacy_tiny.py'))
    init_default_scope(cfg.default_scope)
    model = MODELS.build(cfg.model)
    model.load_state_dict(torch.load(LEGACY / 'epoch_1.pth', map_location='cpu')['state_dict'], strict=True)
