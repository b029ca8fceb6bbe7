"""tools/setup/install.sh: a failure in the first host of ``--host both`` ends the script with that error.

The script runs on a copy of itself inside a stand-in repository whose ``.venv/bin/python`` is a stub
that fails the script's Python 3.11 check, so nothing is installed and nothing reaches the network.
"""
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _stub_python(path: Path, body: str) -> None:
    path.parent.mkdir(parents=True)
    path.write_text(f'#!/usr/bin/env bash\n{body}\n')
    path.chmod(0o755)


def test_both_stops_at_the_first_hosts_error(tmp_path):
    (tmp_path / 'tools/setup').mkdir(parents=True)
    shutil.copy(ROOT / 'tools/setup/install.sh', tmp_path / 'tools/setup/install.sh')
    _stub_python(tmp_path / '.venv/bin/python', 'exit 1')  # not Python 3.11
    reached = tmp_path / 'second_host_reached'
    _stub_python(tmp_path / '.venv-mmpretrain/bin/python', f'touch {reached}; exit 1')
    env = {'PATH': '/usr/bin:/bin', 'HOME': str(tmp_path)}
    result = subprocess.run(['bash', str(tmp_path / 'tools/setup/install.sh'), '--host', 'both'],
                            capture_output=True, text=True, env=env)
    assert result.returncode == 1
    assert f'{tmp_path}/.venv/bin/python is not Python 3.11' in result.stderr
    assert 'unbound variable' not in result.stderr
    assert not reached.exists()


def test_check_disk_refuses_with_the_figures(tmp_path):
    """No filesystem here has a million GiB free; every one has more than 0 GiB."""
    script = ROOT / 'tools/setup/check_disk.sh'
    refused = subprocess.run(['bash', str(script), '1000000', str(tmp_path), 'installing torch into X'],
                             capture_output=True, text=True)
    assert refused.returncode == 1
    assert 'installing torch into X needs about 1000000 GiB free' in refused.stderr
    assert subprocess.run(['bash', str(script), '0', str(tmp_path), 'X']).returncode == 0
