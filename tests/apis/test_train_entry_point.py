"""multisiam_mm.apis.train (tools/train.py's code; its runs: tests/tools/test_train.py)."""
import subprocess
import sys


def test_pretraining_entry_imports_neither_mmseg_nor_the_downstream_plugin():
    """Pre-training runs on mmcv without compiled ops, which ``import mmseg.models`` needs."""
    code = ('import sys, multisiam_mm.apis, multisiam_mm.apis.train; '
            'print(sorted(m for m in sys.modules if m.startswith(("mmseg", "multisiam_mm.downstream"))))')
    result = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True, timeout=300)
    assert result.stdout.strip() == '[]', result.stdout


def test_parse_args_takes_an_argv():
    from multisiam_mm.apis.train import parse_args
    args = parse_args(['configs/multisiam_r18_camvid.py', '--resume', '--amp'])
    assert args.resume == 'auto' and args.amp and args.launcher == 'none'
