"""One run per work dir (multisiam_mm/engine/work_dir_lock.py): a live holder refuses a second run by name;
a holder killed with SIGKILL leaves nothing that blocks the next one."""
import os
import signal
import subprocess
import sys

import pytest

from multisiam_mm.engine.work_dir_lock import LOCK_FILE, WorkDirInUse, hold_work_dir

HOLD = ('import sys, time; from multisiam_mm.engine.work_dir_lock import hold_work_dir; '
        'lock = hold_work_dir(sys.argv[1]); print("held", flush=True); time.sleep(600)')


def test_a_live_holder_refuses_a_second_run_naming_its_pid(tmp_path):
    held = hold_work_dir(str(tmp_path))
    result = subprocess.run([sys.executable, '-c', 'import sys; from multisiam_mm.engine.work_dir_lock import '
                             'hold_work_dir; hold_work_dir(sys.argv[1])', str(tmp_path)],
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert f'work_dir {tmp_path} is in use by a live run' in result.stderr
    assert f'pid {os.getpid()}' in result.stderr and 'another --work-dir' in result.stderr
    held.close()  # released: the next run may start
    hold_work_dir(str(tmp_path)).close()


def test_a_holder_killed_by_sigkill_leaves_nothing_that_blocks_the_next_run(tmp_path):
    holder = subprocess.Popen([sys.executable, '-c', HOLD, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == 'held'
    with pytest.raises(WorkDirInUse, match=f'pid {holder.pid}'):
        hold_work_dir(str(tmp_path))
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert (tmp_path / LOCK_FILE).is_file()  # the file stays; only a live holder counts
    lock = hold_work_dir(str(tmp_path))
    assert f'pid {os.getpid()}' in (tmp_path / LOCK_FILE).read_text()
    lock.close()
