"""Report which pinned requirement groups are missing from the running Python.

Usage: ``python tools/setup/check_env.py GROUP [GROUP ...]`` where GROUP names a file
``requirements/GROUP.txt``. Prints the missing groups, one per line, and nothing when the
environment is complete. Reads installed versions from package metadata, so it runs in well
under a second; only the ``mmcv-ops`` group also imports mmcv's compiled ops to prove the build
matches the installed torch.
"""
import importlib.metadata
import re
import subprocess
import sys
from pathlib import Path

REQUIREMENTS = Path(__file__).resolve().parents[2] / 'requirements'
_SPEC = re.compile(r'^([A-Za-z0-9_.\-]+)\s*(?:==\s*([^\s;#]+))?')


def requirement_specs(group: str) -> list[tuple[str, str | None]]:
    """Return ``(name, pinned version or None)`` for each line of ``requirements/<group>.txt``."""
    specs = []
    for line in (REQUIREMENTS / f'{group}.txt').read_text().splitlines():
        line = line.split('#', 1)[0].strip()
        if line and not line.startswith('-'):
            name, version = _SPEC.match(line).groups()
            specs.append((name, version))
    return specs


def is_satisfied(name: str, version: str | None) -> bool:
    try:
        installed = importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return False
    return version is None or installed == version


def mmcv_ops_load() -> bool:
    """True when mmcv's compiled ops import against the installed torch (an ABI mismatch fails here)."""
    probe = 'import mmcv.ops; mmcv.ops.RoIAlign'
    return subprocess.run([sys.executable, '-c', probe], capture_output=True).returncode == 0


def missing_groups(groups: list[str]) -> list[str]:
    missing = []
    for group in groups:
        ok = all(is_satisfied(name, version) for name, version in requirement_specs(group))
        if ok and group == 'mmcv-ops':
            ok = mmcv_ops_load()
        if not ok:
            missing.append(group)
    return missing


if __name__ == '__main__':
    for group in missing_groups(sys.argv[1:]):
        print(group)
