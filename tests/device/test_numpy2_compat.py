"""multisiam_mm/compat.py's numpy 2 absorption, for the GPU machine's numpy 2.5 (lab/device/): mmcv's
``adjust_hue`` and checkpoints pickled under either numpy's module names.

Under the pinned numpy 1.26 these prove the replacements change nothing; the CPU rehearsal
(``lab/device/rehearse.sh``, numpy 2.5.2) runs the same code where mmcv's own function raises. Each test
runs under the environment's host (its ColorJitter, its configs); gpu_check.py runs the file under both.
"""
import importlib
import io
import warnings

import mmcv
import numpy as np
import pytest
import torch
from mmcv.image import photometric

from lab.speed import repo_config
from multisiam_mm import compat
from tool_scripts import REPO

NUMPY2 = np.lib.NumpyVersion(np.__version__) >= '2.0.0'
FACTORS = [-0.5, -0.37, -0.1, -1 / 255, 0.0, 0.05, 0.1, 0.4999, 0.5]


@pytest.fixture(scope='module')
def frame() -> np.ndarray:
    import cv2
    return cv2.imread(str(sorted((REPO / 'demo' / 'camvid' / 'train').glob('*.jpg'))[0]))[:64, :96]


def test_hue_shift_is_numpy_1s_uint8_conversion():
    grid = np.linspace(-0.5, 0.5, 100001)
    assert compat.hue_shift(-0.1) == 231 and compat.hue_shift(0.1) == 25 and compat.hue_shift(-0.5) == 129
    if not NUMPY2:  # the reference exists only under numpy 1 (numpy 2 raises for negatives)
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            assert all(compat.hue_shift(f) == np.uint8(f * 255) for f in grid)
    else:
        with pytest.raises(OverflowError):
            np.uint8(-0.1 * 255)  # the defect this absorbs


@pytest.mark.parametrize('backend', ['cv2', 'pillow'])
def test_adjust_hue_equals_mmcvs_under_numpy_1_and_runs_under_numpy_2(frame, backend):
    original = compat.MMCV_ADJUST_HUE or photometric.adjust_hue  # mmcv's own (not replaced under numpy 1)
    for factor in FACTORS:
        out = compat.adjust_hue(frame, factor, backend=backend)
        assert out.shape == frame.shape and out.dtype == frame.dtype
        if not NUMPY2:
            assert np.array_equal(out, original(frame, factor, backend=backend)), factor
    assert np.array_equal(compat.adjust_hue(frame, 0.0, backend='cv2'),
                          original(frame, 0.0, backend='cv2'))  # no shift: mmcv's result under any numpy


def test_the_fix_replaces_every_reference_under_numpy_2_only(monkeypatch, host):
    """The core points mmcv's references at the fix (mmpretrain's ColorJitter calls ``mmcv.adjust_hue``), the
    MMSelfSup host part mmselfsup's own reference."""
    core = [mmcv, mmcv.image, photometric]
    fixes = [(compat.use_numpy1_hue_shift, core)]  # (the fix, the modules it points at compat.adjust_hue)
    if host == 'mmselfsup':
        from mmselfsup.datasets.transforms import processing

        from multisiam_mm.mmselfsup.fixes import use_numpy1_hue_shift_in_mmselfsup
        fixes.append((use_numpy1_hue_shift_in_mmselfsup, [processing]))
    for module in (module for _, places in fixes for module in places):  # restored after the test: the fix
        monkeypatch.setattr(module, 'adjust_hue', module.adjust_hue)   # is forced below as numpy 2 needs it
    monkeypatch.setattr(compat, 'MMCV_ADJUST_HUE', compat.MMCV_ADJUST_HUE)
    if not NUMPY2:
        assert all(fix() == [] for fix, _ in fixes) and mmcv.adjust_hue is not compat.adjust_hue
    for fix, places in fixes:
        patched = fix(numpy2=True)
        assert patched == [] if NUMPY2 else sorted(patched) == sorted(module.__name__ for module in places)
        assert fix(numpy2=True) == []  # idempotent
        assert all(module.adjust_hue is compat.adjust_hue for module in places)


def test_the_hosts_color_jitter_with_negative_hue_runs(frame, host):
    jitter = importlib.import_module(f'{host}.datasets.transforms').ColorJitter(
        brightness=0.4, contrast=0.4, saturation=0.2, hue=0.1)
    np.random.seed(0)
    for _ in range(20):  # hue factors drawn from [-0.1, 0.1]: about half are negative
        out = jitter(dict(img=frame.copy()))['img']
        assert out.shape == frame.shape


@pytest.mark.parametrize('written_as', ['numpy.core.multiarray', 'numpy._core.multiarray'])
def test_checkpoints_pickled_under_either_numpy_load_with_the_safe_loader(written_as):
    buffer = io.BytesIO()
    torch.save({'meta': {'array': np.arange(3, dtype=np.float32), 'scalar': np.float64(2.5)}}, buffer,
               _use_new_zipfile_serialization=False)  # protocol 2: module names are plain text
    data = buffer.getvalue()
    for name in (b'numpy.core.multiarray', b'numpy._core.multiarray'):
        data = data.replace(b'c' + name + b'\n', b'c' + written_as.encode() + b'\n')
    assert written_as.encode() + b'\n_reconstruct' in data
    loaded = torch.load(io.BytesIO(data), weights_only=True)
    assert np.array_equal(loaded['meta']['array'], np.arange(3)) and loaded['meta']['scalar'] == 2.5


def test_the_camvid_pipeline_built_by_a_plain_compose_jitters_hue_under_either_numpy(host):
    """No entry point, no runner: the CamVid config's pipeline (PerViewAugment in the workers, ColorJitter's
    hue 0.1) built by mmengine's own Compose, as a user's script or a dataloader worker builds it. The hue
    shift is :func:`compat.hue_shift`'s, numpy 1's value under either numpy (multisiam_mm.views)."""
    from mmengine.dataset import Compose
    from mmengine.registry import init_default_scope

    cfg = repo_config('configs/multisiam_r18_camvid.py', host)
    init_default_scope(cfg.default_scope)
    pipeline = Compose(cfg.train_dataloader.dataset.pipeline)
    np.random.seed(0)
    frames = sorted((REPO / 'demo' / 'camvid' / 'train').glob('*.jpg'))[:8]
    for path in frames * 2:  # 32 views, hue factors from [-0.1, 0.1] with p=0.8: negative ones among them
        packed = pipeline(dict(img_path=str(path)))
        assert packed is not None and packed['inputs'][0].shape == (3, 128, 128)
