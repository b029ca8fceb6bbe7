"""Running the repo's tools in subprocesses from tests (the tests run from the repo root)."""
import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TINY = 'tests/fixtures/tiny_multisiam_camvid.py'


def run(cmd: list[str], **extra_env: str) -> subprocess.CompletedProcess:
    """Run ``cmd`` in the repo root and fail the test with its output tail when it fails."""
    env = dict(os.environ, PYTHON=sys.executable, **extra_env)
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]
