"""tools/slurm_train.sh's own logic, with stand-ins for srun and scontrol (no Slurm here): a preemption's
signal reaches the script too; it waits for the tasks, exits 143 and requeues the job."""
import os
import signal
import subprocess
import time
from pathlib import Path

from subprocess_runs import ROOT

# srun's stand-in: a task that, signalled, "checkpoints" and exits 143 as PreemptionHook does
SRUN = '''#!/usr/bin/env bash
trap 'echo task-stopped >> "$RECORD"; exit 143' TERM USR1
echo "srun $*" >> "$RECORD"
while true; do sleep 0.1; done
'''
SCONTROL = '#!/usr/bin/env bash\necho "scontrol $*" >> "$RECORD"\n'


def stand_ins(tmp_path: Path) -> dict:
    bin_dir = tmp_path / 'bin'
    bin_dir.mkdir()
    for name, text in (('srun', SRUN), ('scontrol', SCONTROL)):
        (bin_dir / name).write_text(text)
        (bin_dir / name).chmod(0o755)
    record = tmp_path / 'record.txt'
    record.write_text('')
    return dict(os.environ, PATH=f'{bin_dir}:{os.environ["PATH"]}', RECORD=str(record), SLURM_JOB_ID='77')


def test_a_signal_to_the_whole_job_ends_in_exit_143_and_a_requeue(tmp_path):
    env = stand_ins(tmp_path)
    proc = subprocess.Popen(['bash', 'tools/slurm_train.sh', 'part', 'ms', 'CONFIG', str(tmp_path / 'wd')],
                            cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    record = Path(env['RECORD'])
    deadline = time.time() + 30
    while 'srun' not in record.read_text() and time.time() < deadline:
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGUSR1)  # Slurm's --signal=USR1@120: every process of the job
    output, _ = proc.communicate(timeout=30)
    assert proc.returncode == 143, output
    lines = record.read_text().splitlines()
    assert '--resume' in lines[0] and '--launcher=slurm' in lines[0]
    assert 'task-stopped' in lines and lines[-1] == 'scontrol requeue 77'
    assert 'requeueing job 77' in output
