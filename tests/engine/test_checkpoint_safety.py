import os
import signal
import subprocess
import sys
import time

import torch
from mmengine.fileio import get_file_backend

from multisiam_mm.checkpoints import latest_checkpoint
from multisiam_mm.checkpoints.atomic_writes import ATOMIC_BACKEND, write_atomically


def test_the_atomic_backend_writes_atomically(tmp_path):
    backend = get_file_backend(str(tmp_path / 'a.pth'), backend_args=ATOMIC_BACKEND)
    backend.put(b'first', tmp_path / 'a.pth')
    backend.put(b'second', tmp_path / 'a.pth')
    assert (tmp_path / 'a.pth').read_bytes() == b'second'
    assert sorted(os.listdir(tmp_path)) == ['a.pth']  # no temporary file left behind


def test_a_writer_killed_mid_write_leaves_the_old_file(tmp_path):
    target = tmp_path / 'ckpt.pth'
    write_atomically(b'old complete checkpoint', target)
    # the child stalls after writing the new data, before the rename; then it is killed
    code = ('import os, time\n'
            'from multisiam_mm.checkpoints.atomic_writes import write_atomically\n'
            'os.fsync = lambda fd: (print("writing", flush=True), time.sleep(60))\n'
            f'write_atomically(b"new" * 2**20, {str(target)!r})\n')
    proc = subprocess.Popen([sys.executable, '-c', code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == 'writing'
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert target.read_bytes() == b'old complete checkpoint'


def test_resume_skips_a_broken_pointer_and_truncated_checkpoints(tmp_path):
    torch.save({'meta': {'iter': 2}}, tmp_path / 'epoch_1.pth')
    time.sleep(0.01)
    torch.save({'meta': {'iter': 4}}, tmp_path / 'epoch_2.pth')
    data = (tmp_path / 'epoch_2.pth').read_bytes()
    time.sleep(0.01)
    (tmp_path / 'epoch_3.pth').write_bytes(data[:len(data) // 2])  # a non-atomic writer killed mid-save
    (tmp_path / 'last_checkpoint').write_text('')  # killed between truncating and writing the pointer
    assert latest_checkpoint(str(tmp_path)) == str(tmp_path / 'epoch_2.pth')
    (tmp_path / 'last_checkpoint').write_text(str(tmp_path / 'epoch_1.pth'))
    assert latest_checkpoint(str(tmp_path)) == str(tmp_path / 'epoch_1.pth')  # a valid pointer wins
    assert latest_checkpoint(str(tmp_path / 'empty')) is None


def test_the_runtime_saves_checkpoints_through_the_atomic_backend():
    from mmengine.config import Config

    from tool_scripts import REPO
    hooks = Config.fromfile(str(REPO / 'configs/_base_/default_runtime.py')).default_hooks
    assert hooks.checkpoint.backend_args == ATOMIC_BACKEND
    assert type(get_file_backend('a.pth', backend_args=ATOMIC_BACKEND)).__name__ == 'AtomicLocalBackend'
    assert type(get_file_backend('a.pth')).__name__ == 'LocalBackend'  # mmengine's own backend is untouched
