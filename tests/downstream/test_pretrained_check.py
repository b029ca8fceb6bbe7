"""Loading a pre-training checkpoint into a downstream model: every backbone tensor, stem included, and the
deep-stem trap (mmseg's ResNetV1c base leaves the stem random with only a warning) caught."""
from types import SimpleNamespace

import pytest
import torch

from multisiam_mm.checkpoints import PretrainedLoadError, check_pretrained_loaded
from multisiam_mm.downstream import PretrainedLoadCheckHook

FCN_CITYSCAPES = 'mmsegmentation/cityscapes/fcn-16s_r50_90k.py'
STEM = ('conv1.weight', 'bn1.weight', 'bn1.bias', 'bn1.running_mean', 'bn1.running_var')


def sync_bn_to_bn(node) -> None:
    """SyncBN needs a process group: plain BN for a model built outside a distributed run."""
    if isinstance(node, dict):
        if node.get('type') == 'SyncBN':
            node['type'] = 'BN'
        for value in node.values():
            sync_bn_to_bn(value)
    elif isinstance(node, list):
        for value in node:
            sync_bn_to_bn(value)


def build_segmentor(cfg):
    import mmseg.models  # noqa: F401  registers mmseg's models
    from mmengine.registry import init_default_scope
    from mmseg.registry import MODELS

    init_default_scope('mmseg')
    sync_bn_to_bn(cfg.model)
    return MODELS.build(cfg.model)


def test_backbone_takes_checkpoint_weights_stem_included(load_benchmark_config, pretrain_checkpoint,
                                                         pretrain_state):
    model = build_segmentor(load_benchmark_config(FCN_CITYSCAPES, pretrain_checkpoint))
    random_stem = model.backbone.conv1.weight.detach().clone()
    model.init_weights()
    backbone = model.backbone.state_dict()
    for key in STEM + ('layer1.0.downsample.0.weight', 'layer4.2.bn3.running_var'):
        assert torch.equal(backbone[key], pretrain_state[f'backbone.{key}']), key
    assert not torch.equal(random_stem, backbone['conv1.weight'])
    # the online backbone, not the EMA target (they differ in the fixture)
    assert not torch.equal(backbone['conv1.weight'], pretrain_state['target_net.module.0.conv1.weight'])
    (report, ) = check_pretrained_loaded(model)
    assert report.module_name == 'backbone' and report.ok
    assert len(report.loaded) == len(backbone)
    assert report.unused == []  # mmselfsup's and mmseg's plain-stem ResNet-50 share every key


def test_deep_stem_left_random_is_caught(load_benchmark_config, pretrain_checkpoint, pretrain_state):
    cfg = load_benchmark_config(FCN_CITYSCAPES, pretrain_checkpoint)
    cfg.model.backbone.type = 'ResNetV1c'  # what mmseg's FCN base would give
    model = build_segmentor(cfg)
    model.init_weights()  # mmengine only logs the missing stem.* keys
    stem = model.backbone.stem[0].weight
    assert stem.shape == (32, 3, 3, 3)  # the deep stem: no checkpoint tensor can fill it
    layer1_conv1 = pretrain_state['backbone.layer1.0.conv1.weight']
    assert torch.equal(model.backbone.layer1[0].conv1.weight, layer1_conv1)  # the rest did load
    with pytest.raises(PretrainedLoadError, match=r"stem\.0\.weight.*\n.*cause: this config's backbone is "
                                                  r"ResNetV1c/V1d \(deep stem.*type='ResNet'"):
        check_pretrained_loaded(model)
    hook = PretrainedLoadCheckHook()
    with pytest.raises(PretrainedLoadError, match='stem'):
        hook.before_train(SimpleNamespace(_resume=False, _load_from=None, model=model))
    hook.before_train(SimpleNamespace(_resume=False, _load_from='finetuned.pth', model=model))  # skipped


def test_mmseg_pretrained_field_cannot_sneak_in(load_benchmark_config, pretrain_checkpoint):
    cfg = load_benchmark_config(FCN_CITYSCAPES, pretrain_checkpoint)
    cfg.model.pretrained = 'open-mmlab://resnet50_v1c'  # left over from mmseg's base
    with pytest.raises(AssertionError, match='init_cfg and pretrained'):
        build_segmentor(cfg)


def test_checkpoint_of_another_depth_is_caught(load_benchmark_config, pretrain_checkpoint_r18):
    model = build_segmentor(load_benchmark_config(FCN_CITYSCAPES, pretrain_checkpoint_r18))
    model.init_weights()
    with pytest.raises(PretrainedLoadError, match='different shape') as error:
        check_pretrained_loaded(model)
    assert 'layer1.0.conv1.weight' in str(error.value) and 'layer1.0.conv3.weight' in str(error.value)
    assert "cause: this checkpoint is a ResNet-18, the config's backbone a ResNet-50" in str(error.value)


def test_the_model_pretrained_habit_with_a_whole_checkpoint_is_explained(load_benchmark_config,
                                                                         pretrain_checkpoint):
    """model.pretrained=CKPT in an mmseg/mmdet config becomes a Pretrained init without prefix: 0 tensors load."""
    cfg = load_benchmark_config(FCN_CITYSCAPES, pretrain_checkpoint)
    cfg.model.backbone.init_cfg = dict(type='Pretrained', checkpoint=pretrain_checkpoint)  # no prefix
    model = build_segmentor(cfg)
    model.init_weights()
    with pytest.raises(PretrainedLoadError) as error:
        check_pretrained_loaded(model)
    assert 'backbone: 0 tensors loaded' in str(error.value)
    assert 'cause: this checkpoint is a whole pre-training checkpoint (keys backbone.*' in str(error.value)
    assert 'extract_backbone_weights.py' in str(error.value)


def test_the_documented_model_zoo_route_loads_every_tensor(pretrain_checkpoint, pretrain_state, tmp_path):
    """docs/benchmarks.md: mmseg's own plain-stem config + the extracted backbone via model.pretrained."""
    from mmengine.config import Config

    from multisiam_mm.checkpoints import extract_backbone_state_dict
    torch.save(dict(state_dict=extract_backbone_state_dict(pretrain_state)), tmp_path / 'backbone.pth')
    override = tmp_path / 'fcn_multisiam.py'
    override.write_text(
        "_base_ = ['mmseg::fcn/fcn_r50b-d8_4xb2-80k_cityscapes-512x1024.py']\n"
        f"model = dict(pretrained='{tmp_path / 'backbone.pth'}')\n")
    model = build_segmentor(Config.fromfile(str(override)))
    model.init_weights()
    (report, ) = check_pretrained_loaded(model)
    assert report.ok and len(report.loaded) == len(model.backbone.state_dict())
