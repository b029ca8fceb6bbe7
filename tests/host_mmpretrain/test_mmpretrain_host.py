"""MultiSiam under MMPretrain 1.2: the core found from mmpretrain's scope, its configs, mmpretrain's own BYOL."""
from pathlib import Path

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import DefaultScope, init_default_scope
from mmpretrain.registry import DATA_SAMPLERS, DATASETS, HOOKS, MODELS, TRANSFORMS

import multisiam_mm.mmpretrain  # noqa: F401
from registry_checks import core_names, shadowed_core_names

ROOT = Path(__file__).resolve().parents[2]
CONFIGS = sorted((ROOT / 'configs/mmpretrain').rglob('*.py'))
LEGACY = ROOT / 'tests/fixtures/legacy_54b598e/epoch_1.pth'


@pytest.fixture(autouse=True)
def mmpretrain_scope():
    init_default_scope('mmpretrain')
    yield
    DefaultScope._instance_dict.clear()


@pytest.mark.parametrize('registry', [MODELS, TRANSFORMS, DATASETS, DATA_SAMPLERS, HOOKS])
def test_no_core_name_is_shadowed_by_one_of_mmpretrains(registry):
    assert core_names(registry) and shadowed_core_names(registry) == set()


def test_every_host_config_is_a_shared_config_with_the_hosts_lines():
    assert len(CONFIGS) == 8
    for path in CONFIGS:
        cfg = Config.fromfile(str(path))
        assert cfg.default_scope == 'mmpretrain', path
        assert cfg.custom_imports.imports == ['multisiam_mm.mmpretrain'], path


@pytest.mark.parametrize('path', CONFIGS, ids=[p.stem for p in CONFIGS])
def test_each_config_builds_its_model_under_mmpretrain(path):
    cfg = Config.fromfile(str(path))
    model = MODELS.build(cfg.model)
    expected = 'BYOL' if 'byol' in path.stem else 'MultiSiam'
    assert type(model).__name__ == expected
    if expected == 'BYOL':
        assert type(model).__module__.startswith('mmpretrain')  # mmpretrain's own BYOL
    assert type(model.backbone).__module__.startswith('mmpretrain')  # and its ResNet
    x = torch.zeros(1, 3, 64, 64)
    assert model.backbone(x)[-1].shape[1] == (512 if 'r18' in path.stem else 2048)  # the final stage


@pytest.mark.parametrize('path', [p for p in CONFIGS if 'byol' in p.stem], ids=lambda p: p.stem)
def test_byol_momentum_is_the_shared_configs_tau_in_mmpretrains_convention(path):
    """mmpretrain's CosineEMA takes 1 - tau: the shared config's tau 0.99 is mmpretrain's 0.01, rising to 1
    (mmpretrain's end momentum 0). Read from the shared config under mmselfsup's name for tau."""
    shared = Config.fromfile(str(ROOT / 'configs/baselines' / path.name), import_custom_modules=False)
    model = MODELS.build(Config.fromfile(str(path)).model)
    assert model.target_net.momentum == pytest.approx(1 - shared.model.base_momentum, abs=1e-12)
    assert model.target_net.end_momentum == 0


def test_multisiam_has_the_mmselfsup_hosts_state_dict_keys():
    """The tiny config's model under mmpretrain holds exactly the keys of a checkpoint written under mmselfsup
    (tests/fixtures/legacy_54b598e), so checkpoints move between the hosts."""
    cfg = Config.fromfile(str(ROOT / 'tests/fixtures/mmpretrain/tiny_multisiam_camvid.py'))
    cfg.model.backbone.update(stem_channels=8, base_channels=8)
    cfg.model.neck.projector_1d.in_channels = cfg.model.neck.projector_2d.in_channels = 64
    model = MODELS.build(cfg.model)
    saved = torch.load(LEGACY, map_location='cpu')['state_dict']
    assert set(model.state_dict()) == set(saved)
    model.load_state_dict(saved, strict=True)
