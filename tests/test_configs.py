"""Every pre-training config under configs/ (benchmarks have their own tests) parses and builds."""
from pathlib import Path

import pytest
from mmengine.config import Config
from mmengine.registry import DefaultScope, init_default_scope
from mmselfsup.registry import DATASETS, MODELS, TRANSFORMS

import multisiam_mm  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = sorted(
    str(path.relative_to(ROOT)) for path in (ROOT / 'configs').rglob('*.py')
    if not {'_base_', 'benchmarks', 'mmpretrain'} & set(path.parts))  # MMPretrain's: tests/host_mmpretrain
BUILT_MODELS: dict[str, str] = {}


def pipeline_types(pipeline: list) -> list[str]:
    """Every transform type in a pipeline, nested view pipelines included."""
    types = []
    for step in pipeline:
        if isinstance(step, (list, tuple)):
            types += pipeline_types(step)
        elif isinstance(step, dict):
            types.append(step['type'])
            types += pipeline_types(step.get('transforms', []))
    return types


def test_configs_were_found():
    assert 'configs/multisiam_r50_waymo.py' in CONFIGS and len(CONFIGS) > 20


@pytest.mark.parametrize('path', CONFIGS)
def test_config_builds(path):
    cfg = Config.fromfile(str(ROOT / path))
    assert cfg.default_scope == 'mmselfsup'
    init_default_scope(cfg.default_scope)
    with DefaultScope.overwrite_default_scope(cfg.default_scope):
        dataset = cfg.train_dataloader.dataset
        assert DATASETS.get(dataset.type) is not None, dataset.type
        for name in pipeline_types(dataset.pipeline):
            assert TRANSFORMS.get(name) is not None, f'{path}: transform {name} is not registered'
        key = cfg.model.pretty_text if hasattr(cfg.model, 'pretty_text') else repr(cfg.model)
        if key not in BUILT_MODELS:  # ablations often share a model: build each distinct one once
            model = MODELS.build(cfg.model)
            assert model.backbone is not None
            BUILT_MODELS[key] = path
