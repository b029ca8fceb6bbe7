"""The frozen trunk: a backbone file loads into every tensor, the random init follows its seed, and a
checkpoint's cache key is the SHA-1 of its bytes."""
import hashlib

import torch

from multisiam_mm.evaluation.frozen_trunk import file_digest, resnet_trunk


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


def test_the_digest_is_the_sha1_of_the_whole_file_across_its_read_blocks(tmp_path):
    (tmp_path / 'abc').write_bytes(b'abc')
    assert file_digest(tmp_path / 'abc') == 'a9993e364706816aba3e25717850c26c9cd0d89d'  # FIPS 180-2's example
    data = bytes(range(256)) * (9 << 12)  # 9 MiB: three 4 MiB reads, the last one partial
    (tmp_path / 'large').write_bytes(data)
    assert file_digest(tmp_path / 'large') == hashlib.sha1(data).hexdigest()
