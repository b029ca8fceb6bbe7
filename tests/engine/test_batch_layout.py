"""Resume on another number of processes: exact with the same total batch, refused with the fix otherwise
(multisiam_mm/checkpoints/batch_layout.py; the end-to-end runs are in tests/tools/test_preemption.py)."""
import pytest
import torch

from multisiam_mm.checkpoints import batch_layout, check_resume_layout


def saved(tmp_path, meta: dict, runtime_info: dict = None) -> str:
    path = tmp_path / 'iter_4.pth'
    torch.save({'meta': meta, 'message_hub': {'runtime_info': runtime_info or {}}, 'state_dict': {}}, path)
    return str(path)


def test_the_same_layout_resumes_silently(tmp_path):
    layout = batch_layout(2, 2, 1, 4)
    assert check_resume_layout(saved(tmp_path, {'batch_layout': layout}), layout) is None


def test_two_processes_to_one_with_the_same_total_batch_resumes_and_says_so(tmp_path):
    path = saved(tmp_path, {'batch_layout': batch_layout(2, 2, 1, 4)})  # total 4
    line = check_resume_layout(path, batch_layout(4, 1, 1, 4))
    assert 'resuming on 1 processes a run of 2' in line and 'same total batch' in line


def test_two_processes_to_one_with_another_total_batch_is_refused_with_both_fixes(tmp_path):
    path = saved(tmp_path, {'batch_layout': batch_layout(2, 2, 1, 4)})
    with pytest.raises(ValueError) as error:
        check_resume_layout(path, batch_layout(2, 1, 1, 8))  # total 2: twice the iterations an epoch
    message = str(error.value)
    assert '2 per process x 2 processes x 1 accumulated, 4 iterations an epoch' in message
    assert 'resume on 2 processes with train_dataloader.batch_size=2' in message
    assert 'train_dataloader.batch_size=4' in message  # 4 x 1 process = the old total 4
    assert 'Nothing was trained' in message


def test_one_process_to_two_is_refused_unless_the_per_process_batch_halves(tmp_path):
    path = saved(tmp_path, {'batch_layout': batch_layout(2, 1, 1, 4)})  # total 2
    with pytest.raises(ValueError, match=r'train_dataloader\.batch_size=1'):
        check_resume_layout(path, batch_layout(2, 2, 1, 2))
    assert 'resuming on 2 processes a run of 1' in check_resume_layout(path, batch_layout(1, 2, 1, 4))


def test_a_total_batch_the_new_processes_cannot_split_offers_only_the_old_layout(tmp_path):
    path = saved(tmp_path, {'batch_layout': batch_layout(3, 1, 1, 4)})  # total 3 on 2 processes: no way
    with pytest.raises(ValueError) as error:
        check_resume_layout(path, batch_layout(1, 2, 1, 6))
    assert 'keep the total batch' not in str(error.value)
    assert 'resume on 1 processes with train_dataloader.batch_size=3' in str(error.value)


def test_a_checkpoint_written_before_layouts_were_recorded_is_read_from_its_config_and_message_hub(tmp_path):
    cfg = "train_dataloader = dict(batch_size=2)\noptim_wrapper = dict(type='OptimWrapper')\n"
    path = saved(tmp_path, {'cfg': cfg}, {'max_iters': 8, 'max_epochs': 2})  # 4 iterations an epoch
    assert check_resume_layout(path, batch_layout(2, 1, 1, 4)) is None
    with pytest.raises(ValueError) as error:
        check_resume_layout(path, batch_layout(2, 2, 1, 2))
    assert '2 per process x ? processes x 1 accumulated, 4 iterations an epoch' in str(error.value)
    assert 'load_from=CHECKPOINT without --resume' in str(error.value)
