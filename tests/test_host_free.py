"""The core is host-free: ``import multisiam_mm`` loads neither self-supervised host (docs/architecture.md)."""
import subprocess
import sys

HOSTS = ('mmselfsup', 'mmcls', 'mmpretrain')
PROBE = f'''
import sys
import multisiam_mm, multisiam_mm.apis, multisiam_mm.evaluation, multisiam_mm.views
print(sorted({{name.split('.')[0] for name in sys.modules}} & set({HOSTS!r})))
'''


def test_importing_the_core_imports_no_host():
    out = subprocess.run([sys.executable, '-c', PROBE], check=True, capture_output=True, text=True).stdout
    assert out.strip().splitlines()[-1] == '[]'


def test_the_host_part_imports_its_host_only():
    probe = 'import sys, multisiam_mm.mmselfsup; print("mmpretrain" in sys.modules, "mmselfsup" in sys.modules)'
    out = subprocess.run([sys.executable, '-c', probe], check=True, capture_output=True, text=True).stdout
    assert out.strip().splitlines()[-1] == 'False True'
