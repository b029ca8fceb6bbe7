"""The ``cuda`` marker: registered, and tests/cuda skips every test cleanly where CUDA is absent."""
import os
import re
import subprocess
import sys


from tool_scripts import REPO


def run_pytest(*args, env=None):
    return subprocess.run([sys.executable, '-m', 'pytest', *args, '-p', 'no:cacheprovider'], cwd=REPO,
                          capture_output=True, text=True, timeout=300, env=env)


def test_marker_is_registered():
    result = run_pytest('--markers')
    assert re.search(r'^@pytest\.mark\.cuda: .*tests/cuda', result.stdout, re.M), result.stdout[-2000:]


def test_cuda_tests_skip_without_cuda():
    env = {k: v for k, v in os.environ.items() if k != 'MULTISIAM_CHECK_DEVICE'}
    env['CUDA_VISIBLE_DEVICES'] = ''  # hide any GPU: what CI and this project's machines have
    result = run_pytest('tests/cuda', '-m', 'cuda', '-q', '-rs', '--strict-markers', env=env)
    summary = result.stdout.strip().splitlines()[-1]
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert re.fullmatch(r'\d+ skipped(, \d+ warnings?)? in [\d.]+s( \([\d:]+\))?', summary.strip('= ')), summary
    assert 'no CUDA device (set MULTISIAM_CHECK_DEVICE=cpu' in result.stdout
