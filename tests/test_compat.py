import pickle

import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer

import multisiam_mm  # noqa: F401  applies multisiam_mm.compat


def test_mmengine_message_hub_objects_load_with_the_safe_loader(tmp_path):
    buffer = HistoryBuffer()
    buffer.update(0.5)
    buffer.update(1.5)
    torch.save({'message_hub': {'log_scalars': {'train/loss': buffer}},
                'meta': {'seed': np.int64(3), 'lr': np.float64(0.1)}}, tmp_path / 'ckpt.pth')
    loaded = torch.load(tmp_path / 'ckpt.pth')  # weights_only=True, torch's default
    restored = loaded['message_hub']['log_scalars']['train/loss']
    assert restored.mean() == 1.0 and restored.min() == 0.5  # statistics restored from the class
    assert loaded['meta']['seed'] == 3


def test_functions_and_arbitrary_callables_stay_refused(tmp_path):
    torch.save({'fn': HistoryBuffer.min}, tmp_path / 'fn.pth')
    with pytest.raises(pickle.UnpicklingError):
        torch.load(tmp_path / 'fn.pth')
    torch.save({'cls': __import__('os').system}, tmp_path / 'os.pth')
    with pytest.raises(pickle.UnpicklingError):
        torch.load(tmp_path / 'os.pth')
