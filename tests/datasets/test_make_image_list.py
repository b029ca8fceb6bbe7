import subprocess
import sys

import numpy as np

from multisiam_mm.datasets import UnlabeledImageList

from data_test_utils import write_jpeg
from tool_scripts import REPO as ROOT


def test_the_printed_options_train_on_the_list_it_wrote(tmp_path):
    for rel in ('split_0/a.jpg', 'split_2/b.jpg', 'split_1/c.jpg'):
        (tmp_path / rel).parent.mkdir(exist_ok=True)
        write_jpeg(str(tmp_path / rel), np.zeros((4, 4, 3), np.uint8))
    result = subprocess.run([sys.executable, 'tools/dataset_converters/make_image_list.py', str(tmp_path),
                             '--subdirs', 'split_0', 'split_2', '--out', str(tmp_path / 'lists/part.txt')],
                            cwd=ROOT, capture_output=True, text=True, check=True)
    line = result.stdout.split('--cfg-options ')[-1].split()
    options = dict(item.split('=', 1) for item in line)
    assert options == {'train_dataloader.dataset.data_root': f'{tmp_path}/',
                       'train_dataloader.dataset.ann_file': 'lists/part.txt',
                       'train_dataloader.dataset.data_prefix.img_path': ''}
    dataset = UnlabeledImageList(data_root=options['train_dataloader.dataset.data_root'],
                                 ann_file=options['train_dataloader.dataset.ann_file'],
                                 data_prefix=dict(img_path=options['train_dataloader.dataset.data_prefix.img_path']))
    assert [dataset.get_data_info(i)['img_path'] for i in range(len(dataset))] == \
        [f'{tmp_path}/split_0/a.jpg', f'{tmp_path}/split_2/b.jpg']


def test_evaluation_splits_and_label_files_are_left_out_unless_asked(tmp_path):
    """Cityscapes and SODA10M trees as extracted: only the training frames enter the list, and the tool says
    what it left out."""
    tree = ['leftImg8bit/train/aachen/a_leftImg8bit.png', 'leftImg8bit/train_extra/bonn/b_leftImg8bit.png',
            'leftImg8bit/val/frankfurt/c_leftImg8bit.png', 'leftImg8bit/test/berlin/d_leftImg8bit.png',
            'gtFine/train/aachen/a_gtFine_color.png', 'leftImg8bit/train/aachen/a_gtFine_labelIds.png',
            'SSLAD-2D/unlabeled/image_0/u.jpg', 'SSLAD-2D/labeled/train/t.jpg', 'SSLAD-2D/labeled/val/v.jpg',
            'SSLAD-2D/labeled/test/x.jpg', 'camvid/trainannot/0001.png']
    for rel in tree:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        write_jpeg(str(tmp_path / rel), np.zeros((4, 4, 3), np.uint8))

    def run(*flags):
        result = subprocess.run([sys.executable, 'tools/dataset_converters/make_image_list.py', str(tmp_path),
                                 '--out', str(tmp_path / 'list.txt'), *flags],
                                cwd=ROOT, capture_output=True, text=True, check=True)
        return (tmp_path / 'list.txt').read_text().split(), result.stdout

    listed, out = run()
    assert listed == ['SSLAD-2D/labeled/train/t.jpg', 'SSLAD-2D/unlabeled/image_0/u.jpg',
                      'leftImg8bit/train/aachen/a_leftImg8bit.png', 'leftImg8bit/train_extra/bonn/b_leftImg8bit.png']
    for line in ['left out 1 files: evaluation split SSLAD-2D/labeled/test (keep them with --include-eval-splits)',
                 'left out 1 files: evaluation split SSLAD-2D/labeled/val',
                 'left out 1 files: evaluation split leftImg8bit/test',
                 'left out 1 files: evaluation split leftImg8bit/val',
                 'left out 1 files: label files gtFine (keep them with --include-labels)',
                 'left out 1 files: label files camvid/trainannot',
                 'left out 1 files: label files leftImg8bit/**/*_labelIds.png']:
        assert line in out
    assert 'wrote 4 paths' in out
    listed, _ = run('--include-eval-splits')
    assert len(listed) == 8 and 'leftImg8bit/val/frankfurt/c_leftImg8bit.png' in listed
    listed, _ = run('--include-eval-splits', '--include-labels')
    assert len(listed) == len(tree)
