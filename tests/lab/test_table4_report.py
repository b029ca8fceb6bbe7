"""lab/table4_report.py on a work dir laid out as lab/camvid_table4.py writes it, figures chosen so that
every mean, half range, gap and verdict below is read off by hand."""
import json

import pytest

from lab.camvid_table4 import finetune_dir, run_dir
from lab.table4_report import Figure, gap_verdict, markdown, report


def instrument_record(probe: float, unsupervised: float, four_frames: float, iou: dict) -> dict:
    """The fields camvid_curves records for one checkpoint, those the report reads."""
    return {'mIoU': probe, 'IoU': iou, 'unsupervised': {'mIoU': unsupervised},
            'label_efficiency': {'4': {'mean': four_frames}}}


def write_curves(work_dir, row: str, seed: int, records: dict) -> None:
    path = run_dir(work_dir, row, seed) / 'curves.json'
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(records))


def write_finetune(work_dir, row: str, seed: int, finetune_seed: int, miou: float) -> None:
    """mmengine's scalars.json of one fine-tune run: a training record, then the validation."""
    scalars = finetune_dir(work_dir, row, seed, finetune_seed) / '20261207_220000' / 'vis_data' / 'scalars.json'
    scalars.parent.mkdir(parents=True)
    scalars.write_text(json.dumps(dict(loss=1.0, iter=100, step=100)) + '\n'
                       + json.dumps(dict(mIoU=miou, step=100)) + '\n')


@pytest.fixture
def work_dir(tmp_path):
    iou = [{'sky': 80.0, 'road': 90.0}, {'sky': 82.0, 'road': 88.0}]
    for seed, (random_probe, byol_probe, iou_probe) in enumerate([(28, 30, 31), (27, 32, 33)]):
        write_curves(tmp_path, 'BYOL', seed, {
            f'random init/seed{seed}': instrument_record(random_probe, 10 + seed, 20, iou[seed]),
            f'BYOL/150e/seed{seed}/epoch150': instrument_record(byol_probe, 12, 21 - 2 * seed, iou[seed])})
        write_curves(tmp_path, 'BYOL + IoU threshold', seed, {
            f'BYOL + IoU threshold/150e/seed{seed}/epoch150': instrument_record(iou_probe, 9, 25 + 2 * seed, iou[0])})
        write_finetune(tmp_path, 'random init', seed, seed, 40 + 2 * seed)
        for finetune_seed in (0, 1):
            write_finetune(tmp_path, 'BYOL', seed, finetune_seed, 44 + 3 * seed + 2 * finetune_seed)
    write_finetune(tmp_path, 'BYOL + IoU threshold', 0, 0, 50)  # its second fine-tune seed has not run
    write_curves(tmp_path, 'MultiSiam', 0, {'MultiSiam/150e/seed0/epoch150': instrument_record(35, 15, 22, iou[0])})
    return tmp_path


def test_rows_are_means_and_half_ranges_over_seeds(work_dir):
    figures = report(work_dir)['figures']
    assert figures['random init']['probe'] == dict(mean=27.5, spread=0.5, seeds=2)
    assert figures['random init']['fine-tune'] == dict(mean=41.0, spread=1.0, seeds=2)  # 40, 42: one each
    assert figures['BYOL']['fine-tune'] == dict(mean=46.5, spread=1.5, seeds=2)  # seed 0: (44+46)/2, seed 1: 48
    assert figures['BYOL']['4 frames'] == dict(mean=20.0, spread=1.0, seeds=2)  # 21, 19
    assert figures['BYOL + IoU threshold']['fine-tune'] is None  # only one of its two fine-tune seeds ran
    assert figures['MultiSiam']['probe'] == dict(mean=35.0, spread=0.0, seeds=1)
    assert figures['+ L_cluster']['probe'] is None


def test_each_pair_is_called_against_twice_the_larger_spread(work_dir):
    pairs = report(work_dir)['pairs']
    assert pairs['random init -> BYOL']['probe'] == dict(gap=3.5, verdict='holds')  # 31 - 27.5 > 2 * 1
    assert pairs['random init -> BYOL']['fine-tune'] == dict(gap=5.5, verdict='holds')  # > 2 * 1.5
    assert pairs['BYOL -> BYOL + IoU threshold']['probe'] == dict(gap=1.0, verdict='within noise')  # 32 - 31 < 2
    assert pairs['BYOL -> BYOL + IoU threshold']['unsupervised'] == dict(gap=-3.0, verdict='reversed')  # spreads 0
    assert pairs['BYOL -> BYOL + IoU threshold']['4 frames'] == dict(gap=6.0, verdict='holds')  # 26 - 20 > 2
    assert pairs['BYOL -> BYOL + IoU threshold']['fine-tune'] is None
    assert pairs['+ self-attention -> MultiSiam']['probe'] is None  # row 4 not measured


def test_a_row_of_one_seed_claims_no_gap():
    assert gap_verdict(Figure(30.0, 0.0, 1), Figure(35.0, 0.0, 2)) == 'one seed'
    assert gap_verdict(Figure(30.0, 1.0, 2), Figure(32.0, 0.5, 2)) == 'within noise'  # 2 is not above 2 * 1


def test_per_class_probe_and_the_markdown_tables(work_dir):
    result = report(work_dir)
    assert result['per_class_probe']['BYOL'] == {'sky': 81.0, 'road': 89.0}
    assert result['per_class_probe']['+ self-attention'] == {}
    text = markdown(result)
    assert '| BYOL | 67.2 | 46.50 ± 1.50 | 31.00 ± 1.00 | 12.00 ± 0.00 | 20.00 ± 1.00 |' in text
    assert '| MultiSiam | 71.9 | - | 35.00 ± 0.00 (1 seed) | 15.00 ± 0.00 (1 seed) | 22.00 ± 0.00 (1 seed) |' in text
    assert '| BYOL -> BYOL + IoU threshold | - | +1.00 within noise | -3.00 reversed | +6.00 holds |' in text
    assert text.endswith('Fine-tune runs (pre-training seed: fine-tune seeds 0, 1; random init: its own seed): '
                         'random init seed 0: 40.00; random init seed 1: 42.00; BYOL seed 0: 44.00, 46.00; '
                         'BYOL seed 1: 47.00, 49.00; BYOL + IoU threshold seed 0: 50.00, -.')
