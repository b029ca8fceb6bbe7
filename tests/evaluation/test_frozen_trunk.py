"""The frozen trunk: a backbone file loads into every tensor, and the random init follows its seed."""
import torch

from multisiam_mm.evaluation.frozen_trunk import resnet_trunk


def test_a_backbone_file_loads_every_tensor_into_the_trunk(tmp_path):
    trunk = resnet_trunk(None, depth=18, seed=1)
    state = {key: value for key, value in
             zip(resnet_trunk_keys(), trunk.state_dict().values())}
    torch.save(dict(state_dict={f'backbone.{k}': v for k, v in state.items()}), tmp_path / 'ckpt.pth')
    from multisiam_mm.checkpoints import load_backbone_state_dict
    loaded = resnet_trunk(load_backbone_state_dict(str(tmp_path / 'ckpt.pth')))
    for mine, theirs in zip(loaded.state_dict().values(), trunk.state_dict().values()):
        torch.testing.assert_close(mine, theirs, atol=0, rtol=0)
    assert not torch.equal(resnet_trunk(None, 18, seed=2)[0].weight, trunk[0].weight)  # seeds differ


def resnet_trunk_keys():
    """torchvision ResNet-18's key names without ``fc``, in the trunk's order."""
    import torchvision
    return [key for key in torchvision.models.resnet18(weights=None).state_dict() if not key.startswith('fc.')]
