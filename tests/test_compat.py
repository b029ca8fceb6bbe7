import os
import pickle
import subprocess
import sys

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


def test_checkpoints_written_without_the_plugin_load_too(tmp_path):
    """Plain mmengine pickles HistoryBuffer's statistics as getattr(HistoryBuffer, 'mean')."""
    code = ('import torch; from mmengine.logging import HistoryBuffer\n'
            'b = HistoryBuffer(); b.update(2.0)\n'
            f'torch.save({{"message_hub": {{"loss": b}}}}, {str(tmp_path / "plain.pth")!r})\n')
    subprocess.run([sys.executable, '-c', code], check=True)
    assert torch.load(tmp_path / 'plain.pth')['message_hub']['loss'].mean() == 2.0
    # a fresh process, where no HistoryBuffer exists yet, loads it too
    load = ('import torch, multisiam_mm\n'
            f'print(torch.load({str(tmp_path / "plain.pth")!r})["message_hub"]["loss"].mean())\n')
    out = subprocess.run([sys.executable, '-c', load], check=True, capture_output=True, text=True).stdout
    assert out.strip() == '2.0'


def test_other_attributes_and_callables_stay_refused(tmp_path):
    torch.save({'fn': HistoryBuffer.__init__}, tmp_path / 'init.pth')  # getattr(HistoryBuffer, '__init__')
    with pytest.raises(pickle.UnpicklingError, match='only HistoryBuffer statistics methods'):
        torch.load(tmp_path / 'init.pth')
    torch.save({'fn': os.system}, tmp_path / 'os.pth')
    with pytest.raises(pickle.UnpicklingError):
        torch.load(tmp_path / 'os.pth')
