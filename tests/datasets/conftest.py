"""The data tests build configs in the mmselfsup registry scope, with fixed seeds."""
import random

import numpy as np
import pytest
import torch
from mmengine.registry import init_default_scope

import multisiam_mm  # noqa: F401  (registers the transforms and datasets)


@pytest.fixture(autouse=True)
def mmselfsup_scope_and_seed():
    """Build configs in the mmselfsup scope (as ``default_scope='mmselfsup'`` does) with fixed seeds."""
    init_default_scope('mmselfsup')
    random.seed(0)
    np.random.seed(0)
    torch.manual_seed(0)

