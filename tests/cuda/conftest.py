"""The ``cuda`` tests: run on a GPU by ``lab/device/gpu_check.sh`` (part a), skipped where CUDA is absent.

``MULTISIAM_CHECK_DEVICE`` picks the device compared with the CPU (default ``cuda``); the CPU rehearsal
sets it to ``cpu`` so that every line of these tests runs here too (then a CPU result is compared
with itself and bf16 autocast stands in for fp16, which proves the tests, not the GPU). They run under
either host, in its scope (the ``host`` fixture of tests/conftest.py): the whole models and the AMP step
build the host's parts (gpu_check.py runs them under both), the rest tests the host-free core.
"""
import os

import pytest
import torch
from mmengine.registry import init_default_scope

import multisiam_mm  # noqa: F401  registers the components

DEVICE = os.environ.get('MULTISIAM_CHECK_DEVICE', 'cuda')


@pytest.fixture(autouse=True)
def device(request, host) -> str:
    """The device under test; float32 stays float32 there (no TF32), and the host is the default scope."""
    if DEVICE.startswith('cuda') and not torch.cuda.is_available():
        pytest.skip('no CUDA device (set MULTISIAM_CHECK_DEVICE=cpu to run these tests on the CPU)')
    init_default_scope(host)
    flags = torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32
    torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = False
    yield DEVICE
    torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32 = flags
