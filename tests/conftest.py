"""Root of the test suite. pytest puts this folder on ``sys.path`` for it, so every test module can import
the shared helpers beside it (``tool_scripts``) by name; never as ``tests.*``, which a site-packages
module of that name shadows.

Each host has an environment of its own: the suite runs in the MMSelfSup one (all but tests/host_mmpretrain/)
and tests/host_mmpretrain/ in the MMPretrain one (tools/run_tests.sh runs both). Here the environment's host
part is imported, as a config's ``custom_imports`` would, so components build in that host's scope. Both
hosts' end-to-end tests (tests/host_mmselfsup/, tests/host_mmpretrain/) share the subprocess helpers of tests/tools/,
which joins ``sys.path``.
"""
import importlib.util
import sys
from pathlib import Path

import pytest
from PIL import Image

from multisiam_mm.registry import import_host_part

DEMO = Path(__file__).resolve().parents[1] / 'demo/camvid'
HOST = 'mmselfsup' if importlib.util.find_spec('mmselfsup') else 'mmpretrain'
import_host_part(HOST)
collect_ignore = ['host_mmpretrain'] if HOST == 'mmselfsup' else []
sys.path.insert(0, str(Path(__file__).resolve().parent / 'tools'))


def pytest_configure(config):
    config.addinivalue_line('markers', 'cuda: compares a component or a training step on a CUDA device with the '
                            'CPU (tests/cuda); skipped without CUDA unless MULTISIAM_CHECK_DEVICE=cpu')


@pytest.fixture(scope='session')
def host() -> str:
    """The host of this environment (its part imported above): ``mmselfsup`` or ``mmpretrain``."""
    return HOST


@pytest.fixture
def tiny_camvid(tmp_path):
    """Four train and two val demo frames, downscaled to 64x48 so the dense probe runs in seconds (the
    evaluation and lab tests)."""
    for split, count in (('train', 4), ('val', 2)):
        stems = (DEMO / f'{split}.txt').read_text().split()[:count]
        (tmp_path / split).mkdir()
        (tmp_path / f'{split}annot').mkdir()
        for stem in stems:
            Image.open(DEMO / split / f'{stem}.jpg').resize((64, 48), Image.BILINEAR).save(
                tmp_path / split / f'{stem}.jpg')
            Image.open(DEMO / f'{split}annot' / f'{stem}.png').resize((64, 48), Image.NEAREST).save(
                tmp_path / f'{split}annot' / f'{stem}.png')
        (tmp_path / f'{split}.txt').write_text('\n'.join(stems) + '\n')
    return tmp_path
