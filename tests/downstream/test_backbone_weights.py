"""tools/model_converters: the backbone-only file and the torchvision ResNet file, verified by loading them
and comparing tensors (no missing or unexpected backbone key) and, for torchvision, the features."""
import pytest
import torch

from multisiam_mm.checkpoints import resnet_depth_of, to_torchvision_resnet

EXTRACT = 'tools/model_converters/extract_backbone_weights.py'
TO_TORCHVISION = 'tools/model_converters/multisiam_to_torchvision.py'


def backbone_of(state, prefix='backbone.'):
    return {key[len(prefix):]: value for key, value in state.items() if key.startswith(prefix)}


def test_extracted_backbone_loads_strictly_into_openmmlab_resnets(tmp_path, run_tool, pretrain_checkpoint,
                                                                  pretrain_state):
    from mmcls.models import ResNet as MMClsResNet
    from mmdet.models.backbones import ResNet as MMDetResNet
    from mmseg.models.backbones import ResNet as MMSegResNet

    output = tmp_path / 'backbone.pth'
    run_tool(EXTRACT, pretrain_checkpoint, str(output))
    written = torch.load(output, map_location='cpu', weights_only=True)
    expected = backbone_of(pretrain_state)
    assert list(written['state_dict']) == list(expected)
    assert written['meta']['resnet_depth'] == 50 and written['meta']['prefix'] == 'backbone.'
    for resnet in (MMSegResNet(depth=50), MMDetResNet(depth=50), MMClsResNet(depth=50)):
        resnet.load_state_dict(written['state_dict'], strict=True)  # no missing, no unexpected key
        for key, value in resnet.state_dict().items():
            assert torch.equal(value, expected[key]), (type(resnet).__module__, key)


def test_extract_target_backbone(tmp_path, run_tool, pretrain_checkpoint, pretrain_state):
    output = tmp_path / 'target.pth'
    run_tool(EXTRACT, pretrain_checkpoint, str(output), '--source', 'target')
    written = torch.load(output, map_location='cpu', weights_only=True)['state_dict']
    target = backbone_of(pretrain_state, 'target_net.module.0.')
    assert list(written) == list(target)
    assert all(torch.equal(written[key], target[key]) for key in target)
    assert not torch.equal(written['conv1.weight'], pretrain_state['backbone.conv1.weight'])


@pytest.mark.parametrize('depth', [18, 50])
def test_torchvision_conversion_loads_and_computes_the_same_features(depth, tmp_path, run_tool,
                                                                     pretrain_checkpoint,
                                                                     pretrain_checkpoint_r18):
    import torchvision
    from mmselfsup.models.backbones import ResNet as SelfSupResNet

    checkpoint = pretrain_checkpoint if depth == 50 else pretrain_checkpoint_r18
    output = tmp_path / f'resnet{depth}_torchvision.pth'
    run_tool(TO_TORCHVISION, checkpoint, str(output))
    converted = torch.load(output, map_location='cpu', weights_only=True)
    expected = backbone_of(torch.load(checkpoint, map_location='cpu', weights_only=True)['state_dict'])

    model = getattr(torchvision.models, f'resnet{depth}')(weights=None)
    missing, unexpected = model.load_state_dict(converted, strict=False)
    assert sorted(missing) == ['fc.bias', 'fc.weight'] and unexpected == []
    for key, value in model.state_dict().items():
        if not key.startswith('fc.'):
            assert torch.equal(value, expected[key]), key

    ssl_backbone = SelfSupResNet(depth=depth, out_indices=[4])  # the pre-training backbone itself
    ssl_backbone.load_state_dict(expected, strict=True)
    ssl_backbone.eval()  # (mmcls' ResNet.train returns None: no chaining)
    trunk = torch.nn.Sequential(*list(model.children())[:-2]).eval()  # torchvision without avgpool/fc
    image = torch.randn(2, 3, 64, 64, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        torch.testing.assert_close(trunk(image), ssl_backbone(image)[0])


def test_torchvision_conversion_of_backbone_only_file(tmp_path, run_tool, pretrain_checkpoint,
                                                      pretrain_state):
    backbone_file, output = tmp_path / 'backbone.pth', tmp_path / 'torchvision.pth'
    run_tool(EXTRACT, pretrain_checkpoint, str(backbone_file))
    run_tool(TO_TORCHVISION, str(backbone_file), str(output))
    converted = torch.load(output, map_location='cpu', weights_only=True)
    assert converted.keys() == backbone_of(pretrain_state).keys()


def test_deep_stem_and_non_resnets_are_refused(pretrain_state):
    backbone = backbone_of(pretrain_state)
    assert resnet_depth_of(backbone) == 50
    deep_stem = {'stem.0.weight': torch.zeros(32, 3, 3, 3), **backbone}
    with pytest.raises(ValueError, match='deep stem'):
        to_torchvision_resnet(deep_stem)
    truncated = {key: value for key, value in backbone.items() if not key.startswith('layer4.2.')}
    with pytest.raises(ValueError, match=r'blocks per stage \[3, 4, 6, 2\]'):
        to_torchvision_resnet(truncated)


def test_training_checkpoint_loads_with_the_safe_loader(pretrain_checkpoint):
    """mmengine pickles HistoryBuffer (with getattr(HistoryBuffer, 'min'), ...) in every checkpoint's
    message_hub; multisiam_mm.compat must allowlist exactly that for torch's weights_only loader, which
    Pretrained init, load_from and resume all use."""
    from mmengine.logging import HistoryBuffer

    checkpoint = torch.load(pretrain_checkpoint, map_location='cpu', weights_only=True)
    assert isinstance(checkpoint['message_hub']['log_scalars']['train/loss'], HistoryBuffer)
