"""Each ablation config is exactly its paper row: its resolved config differs from its reference only in
what the row changes (Sec. 4.3, Tables 2-4, 8, 9; App. B.1).

The expected differences are data (row -> {dotted key: value}); a mislabeled or drifted row fails with the
keys that differ.
"""
import copy
from pathlib import Path

import pytest
from mmengine.config import Config

ROOT = Path(__file__).resolve().parents[1]
ABLATION_BASE = 'configs/_base_/multisiam-ablation_r50_waymo.py'
# what the Runner reads; top-level helper variables (train_pipeline, optimizer, ...) are not compared
RUNNER_KEYS = ('runner_type', 'model', 'train_dataloader', 'train_cfg', 'optim_wrapper', 'param_scheduler',
               'auto_scale_lr', 'default_hooks', 'custom_hooks', 'env_cfg', 'randomness', 'load_from', 'resume',
               'log_processor', 'visualizer', 'default_scope', 'custom_imports', 'log_level')

# the ablation recipe against the main one (Sec. 4.3): 150 epochs, base lr 0.3 per 256 images (the runner
# scales it by 1024 x 4 accumulated / 256: 4.8), accumulation 4
RECIPE = {
    'optim_wrapper.optimizer.lr': 0.3,
    'optim_wrapper.accumulative_counts': 4,
    'train_cfg.max_epochs': 150,
    'model.base_momentum': 0.99,
}
ATTENTION = {'model.head_2d.attention': dict(type='PixelSelfAttention', power=2.0, residual=False)}
OFFSET = {'model.alignment': dict(type='OffsetAlignment', normalize=True),
          'model.head_2d.predictor.in_channels': 258}
FULL = {**ATTENTION, **OFFSET}  # Table 4 row 5: the model Tables 8 and 9 vary
CROP = 'train_dataloader.dataset.pipeline.0'

# row -> (reference config, {dotted key: value the row sets})
ROWS = {
    'table2a_iou-0.3': (ABLATION_BASE, {f'{CROP}.iou_threshold': 0.3}),
    'table2a_iou-0.4': (ABLATION_BASE, {f'{CROP}.iou_threshold': 0.4}),
    'table2a_iou-0.5': (ABLATION_BASE, {}),
    'table2a_iou-0.6': (ABLATION_BASE, {f'{CROP}.iou_threshold': 0.6}),
    'table2a_iou-0.7': (ABLATION_BASE, {f'{CROP}.iou_threshold': 0.7}),
    'table2b_align-none': (ABLATION_BASE, {'model.alignment': dict(type='NoAlignment')}),
    'table2b_align-roi': (ABLATION_BASE, {}),
    'table2b_align-offset': (ABLATION_BASE, OFFSET),
    'table2b_align-offset-nonorm': (ABLATION_BASE, {**OFFSET, 'model.alignment.normalize': False}),
    'table3a_k-3': (ABLATION_BASE, {}),
    'table3a_k-4': (ABLATION_BASE, {'model.head_2d.clustering.num_clusters': 4}),
    'table3a_k-5': (ABLATION_BASE, {'model.head_2d.clustering.num_clusters': 5}),
    'table3b_cosine': (ABLATION_BASE, {}),
    'table3b_cosine-dense': (ABLATION_BASE, {'model.head_2d.clustering.dense': True}),
    'table3b_euclidean': (ABLATION_BASE, {'model.head_2d.clustering.distance': 'euclidean'}),
    'table4_row1_byol': ('configs/baselines/byol_r50_waymo.py', RECIPE),
    'table4_row2_byol-iou': ('configs/baselines/byol-iou_r50_waymo.py', RECIPE),
    'table4_row3_cluster': (ABLATION_BASE, {}),
    'table4_row4_attention': (ABLATION_BASE, ATTENTION),
    'table4_row5_offset': (ABLATION_BASE, FULL),
    'table4_row6_offset-nonorm': (ABLATION_BASE, {**FULL, 'model.alignment.normalize': False}),
    'table8a_crop-0.08': (ABLATION_BASE, FULL),
    'table8a_crop-0.2': (ABLATION_BASE, {**FULL, f'{CROP}.scale': [0.2, 1.0]}),
    'table8b_lr-0.3': (ABLATION_BASE, FULL),
    'table8b_lr-1.0': (ABLATION_BASE, {**FULL, 'optim_wrapper.optimizer.lr': 1.0}),
    'table8c_momentum-0.99': (ABLATION_BASE, {**FULL, f'{CROP}.scale': [0.2, 1.0],
                                              'optim_wrapper.optimizer.lr': 0.1}),
    'table8c_momentum-0.996': (ABLATION_BASE, {**FULL, f'{CROP}.scale': [0.2, 1.0],
                                               'optim_wrapper.optimizer.lr': 0.1,
                                               'model.base_momentum': 0.996}),
    'table9_roi': (ABLATION_BASE, ATTENTION),
    'table9_roi-residual': (ABLATION_BASE, {**ATTENTION, 'model.head_2d.attention.residual': True}),
    'table9_offset': (ABLATION_BASE, FULL),
    'table9_offset-residual': (ABLATION_BASE, {**FULL, 'model.head_2d.attention.residual': True}),
    'appB1_wo-kmeans': ('configs/multisiam_r50_waymo.py', {'model.head_2d.clustering': None}),
}


# Table 4 on the CamVid CPU recipe (lab/camvid_runs.py METHODS): rows 1, 2, 5 are the CamVid BYOL, BYOL + IoU
# and MultiSiam configs themselves; rows 3, 4 make the ablation base's two changes to the MultiSiam one
CAMVID = 'configs/multisiam_r18_camvid.py'
CAMVID_ROI = {'model.alignment': dict(type='RoIAlignment'), 'model.head_2d.predictor.in_channels': 128}
CAMVID_ROWS = {
    'table4_row3_cluster': (CAMVID, {**CAMVID_ROI, 'model.head_2d.attention': None}),
    'table4_row4_attention': (CAMVID, CAMVID_ROI),
}


def plain(value):
    """A resolved config value as plain dicts and lists (tuples become lists)."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value


def runner_view(path: str) -> dict:
    cfg = Config.fromfile(str(ROOT / path))
    return {key: plain(cfg[key]) for key in RUNNER_KEYS if key in cfg}


def set_dotted(tree: dict, key: str, value) -> None:
    """``tree['a']['b'][0]['c'] = value`` for ``key='a.b.0.c'``."""
    *parents, last = key.split('.')
    for part in parents:
        tree = tree[int(part)] if isinstance(tree, list) else tree[part]
    if isinstance(tree, list):
        tree[int(last)] = value
    else:
        tree[last] = value


def flatten(tree, prefix: str = '') -> dict:
    if isinstance(tree, dict) and tree:
        return {k: v for key, item in tree.items() for k, v in flatten(item, f'{prefix}{key}.').items()}
    if isinstance(tree, list) and tree:
        return {k: v for i, item in enumerate(tree) for k, v in flatten(item, f'{prefix}{i}.').items()}
    return {prefix.rstrip('.'): tree}


def differences(got: dict, want: dict) -> dict:
    got_flat, want_flat = flatten(got), flatten(want)
    return {key: (got_flat.get(key, '<absent>'), want_flat.get(key, '<absent>'))
            for key in sorted(set(got_flat) | set(want_flat)) if got_flat.get(key) != want_flat.get(key)}


def test_every_row_has_exactly_one_config():
    files = sorted(path.name for path in (ROOT / 'configs/ablations').glob('*.py'))
    assert files == sorted(f'{row}_r50_waymo.py' for row in ROWS)


def test_the_ablation_base_is_roi_kmeans_without_attention_at_the_ablation_recipe():
    want = runner_view('configs/multisiam_r50_waymo.py')
    for key, value in {**RECIPE, 'model.alignment': dict(type='RoIAlignment'),
                       'model.head_2d.predictor.in_channels': 256, 'model.head_2d.attention': None}.items():
        set_dotted(want, key, copy.deepcopy(value))
    assert differences(runner_view(ABLATION_BASE), want) == {}


def row_differences(path: str, reference: str, changes: dict) -> dict:
    """What the config at ``path`` resolves to beyond ``reference`` with ``changes`` applied."""
    want = runner_view(reference)
    for key, value in changes.items():
        set_dotted(want, key, copy.deepcopy(value))
    return differences(runner_view(path), want)


@pytest.mark.parametrize('row', sorted(ROWS))
def test_row_differs_from_its_reference_only_in_what_it_changes(row):
    assert row_differences(f'configs/ablations/{row}_r50_waymo.py', *ROWS[row]) == {}


@pytest.mark.parametrize('row', sorted(CAMVID_ROWS))
def test_camvid_row_differs_from_multisiam_only_in_what_it_changes(row):
    assert row_differences(f'configs/ablations/camvid/{row}_r18_camvid.py', *CAMVID_ROWS[row]) == {}


def test_a_drifted_row_is_caught():
    """The comparison itself: one changed value in a resolved config shows up as a difference."""
    got = runner_view(ABLATION_BASE)
    want = copy.deepcopy(got)
    set_dotted(want, f'{CROP}.iou_threshold', 0.3)
    assert differences(got, want) == {f'{CROP}.iou_threshold': (0.5, 0.3)}
