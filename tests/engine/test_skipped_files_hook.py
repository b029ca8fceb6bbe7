"""SkippedFilesHook reaches LoadImageOrSkip through the train dataset's transforms, not the environment:
through forked persistent workers, spawned ones (the pickled dataset) and several ranks."""
import os
import pickle
from types import SimpleNamespace

import cv2
import numpy as np
from mmengine.dataset import Compose
from torch.utils.data import ConcatDataset, DataLoader, Dataset

from multisiam_mm.datasets.transforms import LoadAndPairCrop, LoadImageOrSkip
from multisiam_mm.datasets.transforms import load_image_or_skip as loader_module
from multisiam_mm.engine import SkippedFilesHook
from multisiam_mm.engine import skipped_files_hook as hook_module


class Files(Dataset):
    """A pipeline over a list of paths; an item says whether the transform skipped the file."""

    def __init__(self, paths: list, pipeline: list) -> None:
        self.paths = paths
        self.pipeline = Compose(pipeline)

    def __len__(self) -> int:
        return len(self.paths)

    def __getitem__(self, index: int) -> bool:
        return self.pipeline(dict(img_path=self.paths[index])) is None


def three_files(folder) -> list[str]:
    cv2.imwrite(str(folder / 'good.jpg'), np.full((30, 40, 3), 90, np.uint8))
    (folder / 'empty.jpg').write_bytes(b'')
    (folder / 'notes.jpg').write_text('not an image')
    return [str(folder / name) for name in ('good.jpg', 'empty.jpg', 'notes.jpg')]


def train_set(paths: list) -> ConcatDataset:
    """Two loaders to find: the one inside LoadAndPairCrop, a plain LoadImageOrSkip in a second dataset."""
    return ConcatDataset([Files(paths, [LoadAndPairCrop(size=16)]), Files(paths[1:], [LoadImageOrSkip()])])


def test_skips_of_persistent_workers_on_two_ranks_reach_one_summary(tmp_path, monkeypatch):
    monkeypatch.setattr(loader_module, 'print_log', lambda msg, **kwargs: None)
    messages = []
    monkeypatch.setattr(hook_module, 'print_log', lambda msg, **kwargs: messages.append(msg))
    good, empty, notes = three_files(tmp_path)
    work = tmp_path / 'work'
    work.mkdir()
    hook = SkippedFilesHook()
    for rank in (0, 1):  # in a run each rank is its own process with its own dataset and workers
        monkeypatch.setattr(hook_module, 'get_rank', lambda: rank)
        dataset = train_set([good, empty, notes])
        loader = DataLoader(dataset, batch_size=None, num_workers=2, persistent_workers=True)
        hook.before_train(SimpleNamespace(work_dir=str(work), train_dataloader=loader))
        assert [t.record_file for t in hook_module.bad_file_loaders(dataset)] == [
            str(work / f'skipped_files.rank{rank}.tsv')] * 2
        for _ in range(2):  # two epochs on the same two worker processes
            assert list(loader) == [False, True, True, True, True]  # good; empty, notes in each dataset
        del loader  # its workers end
    assert not [name for name in os.environ if 'SKIPPED' in name]
    for rank in (0, 1):  # 2 epochs x 4 skips, each a line from whichever worker met it
        assert sorted(open(work / f'skipped_files.rank{rank}.tsv').read().splitlines()) == sorted(
            [f'{empty}\tempty file', f'{notes}\tnot decodable by OpenCV'] * 4)
    hook.after_train(SimpleNamespace(work_dir=str(work)))
    assert len(messages) == 1
    assert messages[0].startswith('skipped files: 2 unique files, 16 skips in all: ')
    assert f'{empty} x8 (empty file)' in messages[0] and f'{notes} x8 (not decodable by OpenCV)' in messages[0]
    assert messages[0].endswith(f'(all: {work}/skipped_files.rank*.tsv)')


def test_spawned_workers_get_the_record_file_with_the_pickled_dataset(tmp_path):
    dataset = train_set(three_files(tmp_path))
    loader = DataLoader(dataset, batch_size=None, num_workers=0)
    SkippedFilesHook().before_train(SimpleNamespace(work_dir=str(tmp_path), train_dataloader=loader))
    copy = pickle.loads(pickle.dumps(dataset))  # what a spawned worker receives
    assert [t.record_file for t in hook_module.bad_file_loaders(copy)] == [
        str(tmp_path / 'skipped_files.rank0.tsv')] * 2


def test_workers_started_before_training_are_named_in_a_warning(tmp_path, monkeypatch):
    messages = []
    monkeypatch.setattr(hook_module, 'print_log', lambda msg, **kwargs: messages.append(msg))
    loader = DataLoader(train_set(three_files(tmp_path)), batch_size=None, num_workers=2)
    iter_loop = type('IterBasedTrainLoop', (), dict(dataloader_iterator=iter(())))()  # mmengine's: iterates when built
    runner = SimpleNamespace(work_dir=str(tmp_path), train_dataloader=loader, train_loop=iter_loop)
    SkippedFilesHook().before_train(runner)
    assert messages == ['SkippedFilesHook: IterBasedTrainLoop started its dataloader workers before training: the '
                        'files they skip are not in the end-of-training summary (their warnings still name them)']
