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
