"""load_from / --resume checkpoints that do not fit the model stop the run before training, in words."""
from collections import OrderedDict

import pytest
import torch
from mmengine.registry import DefaultScope
from mmselfsup.registry import MODELS

import multisiam_mm  # noqa: F401
from multisiam_mm.checkpoints.fit import check_checkpoint_fits, describe_backbone


def resnet(depth: int) -> torch.nn.Module:
    with DefaultScope.overwrite_default_scope('mmselfsup'):  # whatever scope an earlier test left
        return MODELS.build(dict(type='ResNet', depth=depth, out_indices=[4]))


def wrapped(backbone: torch.nn.Module) -> torch.nn.Module:
    model = torch.nn.Module()
    model.backbone = backbone
    return model


def test_backbones_are_named_by_depth():
    assert describe_backbone(resnet(18).state_dict()) == 'a ResNet-18'
    assert describe_backbone(resnet(50).state_dict()) == 'a ResNet-50'
    assert describe_backbone({'conv.weight': torch.zeros(1)}) is None


def test_a_resnet50_checkpoint_in_a_resnet18_config_is_named(tmp_path):
    path = tmp_path / 'r50.pth'
    torch.save(dict(state_dict=wrapped(resnet(50)).state_dict()), path)
    with pytest.raises(ValueError, match=r"load_from .*r50.pth does not fit this model: .* with another shape "
                                         r".*this checkpoint's backbone is a ResNet-50, the config's is a "
                                         r"ResNet-18\. Nothing was trained"):
        check_checkpoint_fits(wrapped(resnet(18)), str(path), 'load_from')


def test_a_backbone_only_file_points_to_the_init_cfg(tmp_path):
    path = tmp_path / 'backbone.pth'
    torch.save(dict(state_dict=OrderedDict(resnet(18).state_dict())), path)
    with pytest.raises(ValueError, match=r"--resume .* this checkpoint is a backbone-only file \(a ResNet-18, keys "
                                         r"without \"backbone\.\"\): .* model\.backbone\.init_cfg=dict\(type="
                                         r"'Pretrained'"):
        check_checkpoint_fits(wrapped(resnet(18)), str(path), '--resume')


def test_a_fitting_checkpoint_passes(tmp_path):
    model = wrapped(resnet(18))
    torch.save(dict(state_dict=model.state_dict()), tmp_path / 'same.pth')
    check_checkpoint_fits(model, str(tmp_path / 'same.pth'), 'load_from')
