"""Which wheels the device machine needs: each host's dependency closure less ``device_packages.txt``.

The device machine (Python 3.12, x86-64, no network) already holds torch, numpy, opencv and about two
hundred other packages (``device_packages.txt``); what it lacks travels as wheels in ``.whl/``. The
roots are the stack both hosts share (``wheels.txt``) and each host's own requirements file
(``requirements/host-mmselfsup.txt``, ``requirements/host-mmpretrain.txt``): the two hosts never share an
install folder (mmdet imports mmpretrain.models whenever it can, mmselfsup imports mmdet.models), so each
host's closure (its roots, the shared roots, and every carried wheel they require) must be complete on its
own, and neither may reach the other host's roots. ``make_wheels.sh`` fetches the roots and then asks
this script, round after round, which requirements of the wheels it has are met neither by another
wheel there nor by a device package; it stops when none is left. Requirements are read from each
wheel's ``METADATA`` (``Requires-Dist``), with markers evaluated for CPython 3.12 on Linux x86-64 and no
extras.

    python lab/device/wheel_closure.py roots             # every root requirement, shared and hosts'
    python lab/device/wheel_closure.py missing .whl      # requirement strings still to fetch
    python lab/device/wheel_closure.py check .whl        # table; exit 1 on a gap, a duplicate or size
    python lab/device/wheel_closure.py lock .whl         # rewrite lab/device/wheels.lock
    python -I lab/device/wheel_closure.py group .whl mmpretrain  # the wheels of one install folder
    python -I lab/device/wheel_closure.py stand-in-extra  # this interpreter's packages the device lacks
    python -I lab/device/wheel_closure.py stand-in-check  # exit 1 unless this interpreter can stand in

``group`` prints the wheel files of one of ``gpu_check.sh``'s install folders: ``shared`` (in both hosts'
closures), ``mmselfsup`` or ``mmpretrain`` (in that host's only). ``wheels.lock`` (committed) lists what
the last ``make_wheels.sh`` put in ``.whl/`` and which hosts need each wheel, so the CPU tests and the
device's env part can check it without the (git-ignored) folder.
"""
import argparse
import email.parser
import importlib.metadata
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

try:
    from packaging.markers import Marker
    from packaging.requirements import Requirement
    from packaging.version import Version
except ImportError:  # a bare interpreter: pip's own copy
    from pip._vendor.packaging.markers import Marker  # noqa: F401
    from pip._vendor.packaging.requirements import Requirement
    from pip._vendor.packaging.version import Version

HERE = Path(__file__).resolve().parent
DEVICE_PACKAGES = HERE / 'device_packages.txt'
ROOTS = HERE / 'wheels.txt'  # the stack both hosts share
# each host's own roots: the requirements file of its environment (tools/setup/install.sh)
HOST_ROOTS = {'mmselfsup': HERE.parents[1] / 'requirements' / 'host-mmselfsup.txt',
              'mmpretrain': HERE.parents[1] / 'requirements' / 'host-mmpretrain.txt'}
HOSTS = tuple(HOST_ROOTS)
GROUPS = ('shared', *HOSTS)  # gpu_check.sh's install folders
LOCK = HERE / 'wheels.lock'
CARRY_LIMIT = 64 * 2**20  # everything that travels to the device in one call
# the device's Python; markers of carried wheels are evaluated for it
DEVICE_ENVIRONMENT = dict(
    python_version='3.12', python_full_version='3.12.3', implementation_name='cpython',
    implementation_version='3.12.3', platform_python_implementation='CPython', os_name='posix',
    sys_platform='linux', platform_system='Linux', platform_machine='x86_64', platform_release='',
    platform_version='', extra='')
# a requirement on the key is met by the value where the device has it (same import name, cv2)
ALIASES = {'opencv-python': 'opencv-python-headless'}


def normalize(name: str) -> str:
    """PEP 503 name: ``PyYAML`` and ``pyyaml``, ``typing_extensions`` and ``typing-extensions`` are one."""
    return re.sub(r'[-_.]+', '-', name).lower()


def requirement_lines(path: Path) -> list[str]:
    """The requirement strings of a requirements-style file: its lines without comments and blanks."""
    return [line for line in (raw.split('#', 1)[0].strip() for raw in path.read_text().splitlines()) if line]


def read_list(path: Path) -> dict[str, Optional[str]]:
    """``{normalized name: pinned version or None}`` from a file of ``name`` / ``name==version`` lines."""
    packages = {}
    for line in requirement_lines(path):
        req = Requirement(line)
        pins = [s.version for s in req.specifier if s.operator == '==']
        packages[normalize(req.name)] = pins[0] if pins else None
    return packages


def host_roots() -> dict[str, dict[str, Optional[str]]]:
    """Per host, its root packages: the shared ``wheels.txt`` and its own requirements file."""
    shared = read_list(ROOTS)
    return {host: {**shared, **read_list(path)} for host, path in HOST_ROOTS.items()}


def root_lines() -> list[str]:
    """Every root requirement as written (shared first, then each host's), for ``make_wheels.sh``."""
    return list(dict.fromkeys(line for path in (ROOTS, *HOST_ROOTS.values()) for line in requirement_lines(path)))


@dataclass
class Wheel:
    path: Path
    name: str  # normalized
    version: str
    requires: list = field(default_factory=list)  # Requirement objects that apply on the device


def read_wheel(path: Path) -> Wheel:
    """Name, version and the device-applicable ``Requires-Dist`` of a wheel file."""
    with zipfile.ZipFile(path) as archive:
        metadata = next(n for n in archive.namelist() if re.fullmatch(r'[^/]+\.dist-info/METADATA', n))
        message = email.parser.Parser().parsestr(archive.read(metadata).decode('utf-8'))
    requires = []
    for line in message.get_all('Requires-Dist') or []:
        req = Requirement(line)
        if req.marker is None or req.marker.evaluate(DEVICE_ENVIRONMENT):
            requires.append(req)
    return Wheel(path, normalize(message['Name']), message['Version'], requires)


def read_wheels(folder: Path) -> list[Wheel]:
    return [read_wheel(path) for path in sorted(Path(folder).glob('*.whl'))]


def satisfied_by(req: Requirement, wheels: dict[str, Wheel], device: dict[str, Optional[str]]) -> Optional[str]:
    """Where ``req`` is met: 'wheel', 'device', 'device (version not recorded)', or None."""
    name = normalize(req.name)
    if name in wheels:
        return 'wheel' if req.specifier.contains(wheels[name].version, prereleases=True) else None
    for candidate in (name, ALIASES.get(name)):
        if candidate in device:
            version = device[candidate]
            if version is None:
                return 'device (version not recorded)'
            return 'device' if req.specifier.contains(version, prereleases=True) else None
    return None


def closure(roots: Iterable[str], by_name: dict[str, Wheel]) -> set[str]:
    """The carried wheels an install of ``roots`` needs: the roots and, transitively, every requirement
    that names a carried wheel (names normalized; a root with no wheel is left out)."""
    found, todo = set(), [normalize(name) for name in roots]
    while todo:
        name = todo.pop()
        if name in found or name not in by_name:
            continue
        found.add(name)
        todo += [normalize(req.name) for req in by_name[name].requires]
    return found


def host_sets(wheel_list: list[Wheel], roots: dict[str, Iterable[str]]) -> dict[str, set[str]]:
    """Per host, the names of the carried wheels its install folder needs (:func:`closure` of its roots)."""
    by_name = {w.name: w for w in wheel_list}
    return {host: closure(names, by_name) for host, names in roots.items()}


def groups(host_set: dict[str, set[str]]) -> dict[str, set[str]]:
    """``gpu_check.sh``'s install folders: ``shared`` (every host needs them) and each host's own."""
    shared = set.intersection(*host_set.values())
    return {'shared': shared, **{host: names - shared for host, names in host_set.items()}}


def missing(wheel_list: list[Wheel], device: dict[str, Optional[str]],
            locked: Optional[dict[str, str]] = None) -> list[str]:
    """Requirements of the wheels met neither by another wheel nor by a device package (one per name), as
    ``name==version`` where the lock's version meets them (the same set as last time), else as written."""
    by_name = {w.name: w for w in wheel_list}
    found = {}
    for wheel in wheel_list:
        for req in wheel.requires:
            name = normalize(req.name)
            if name in found or satisfied_by(req, by_name, device) is not None:
                continue
            version = (locked or {}).get(name)
            found[name] = (f'{name}=={version}' if version and req.specifier.contains(version, prereleases=True)
                           else str(req))
    return list(found.values())


def host_problems(host: str, names: set[str], by_name: dict[str, Wheel], device: dict[str, Optional[str]],
                  others: Iterable[str]) -> list[str]:
    """What stops ``host``'s install folder (``names``, beside the device's packages) from working: a
    requirement it leaves unmet, or another host's root inside it."""
    found = []
    own = {name: by_name[name] for name in names}
    for name in sorted(names):
        wheel = own[name]
        for req in wheel.requires:
            if satisfied_by(req, own, device) is None:
                have = by_name.get(normalize(req.name))
                where = f'the folder has {have.version}' if have else 'neither the folder nor the device has it'
                found.append(f'{host}: {wheel.name} {wheel.version} requires {req}: {where}')
    for name in sorted(names & set(others)):
        found.append(f'{host}: its closure reaches {name}, a root of another host (never one install folder)')
    return found


def problems(wheel_list: list[Wheel], device: dict[str, Optional[str]], roots: dict[str, Iterable[str]],
             limit: int = CARRY_LIMIT) -> list[str]:
    """Everything that would stop a device install or a run: duplicates, missing roots, each host's gaps
    (``roots``: per host its root names), a host reaching another's roots, a wheel no host needs, size."""
    found = []
    names = [w.name for w in wheel_list]
    for name in sorted({n for n in names if names.count(n) > 1}):
        found.append(f'{name}: {names.count(name)} wheels; keep one version (two stop the whole install)')
    by_name = {w.name: w for w in wheel_list}
    for name in sorted({n for host_names in roots.values() for n in host_names}):
        if name not in by_name:
            found.append(f'{name}: a root (wheels.txt or a host\'s requirements) but no wheel in the folder')
    host_set = host_sets(wheel_list, roots)
    shared = set.intersection(*(set(host_names) for host_names in roots.values()))
    for host, host_names in host_set.items():
        others = {n for other, other_roots in roots.items() if other != host for n in other_roots} - shared
        found += host_problems(host, host_names, by_name, device, others)
    for name in sorted(set(by_name) - set.union(*host_set.values())):
        found.append(f'{name}: in the folder, but no host needs it')
    size = sum(w.path.stat().st_size for w in wheel_list)
    if size > limit:
        found.append(f'the wheels take {size / 2**20:.1f} MiB, over the {limit / 2**20:.0f} MiB carry limit')
    return found


def hosts_of(host_set: dict[str, set[str]]) -> dict[str, str]:
    """Per wheel name, the hosts whose install needs it, comma-separated (``mmselfsup,mmpretrain``)."""
    return {name: ','.join(host for host in host_set if name in host_set[host])
            for name in set.union(*host_set.values())}


def table(wheel_list: list[Wheel], hosts: dict[str, str]) -> str:
    lines = ['| wheel | MiB | hosts |', '| --- | --- | --- |']
    lines += [f'| {w.path.name} | {w.path.stat().st_size / 2**20:.2f} | {hosts.get(w.name, "none")} |'
              for w in wheel_list]
    lines.append(f'| total ({len(wheel_list)} wheels) | {sum(w.path.stat().st_size for w in wheel_list) / 2**20:.2f} | |')
    return '\n'.join(lines)


def write_lock(wheel_list: list[Wheel], hosts: dict[str, str], path: Path = LOCK) -> None:
    header = ('# Written by lab/device/make_wheels.sh (wheel_closure.py lock): the wheels in .whl/ for the '
              'device machine.\n# name==version  file  hosts whose install folder needs it\n')
    path.write_text(header + ''.join(f'{w.name}=={w.version}  {w.path.name}  {hosts[w.name]}\n'
                                     for w in wheel_list))


def read_lock(path: Path = LOCK, host: Optional[str] = None) -> dict[str, str]:
    """``{normalized name: version}`` of the committed lock; with ``host``, only what that host's install
    needs."""
    rows = [line.split() for line in path.read_text().splitlines() if line.strip() and not line.startswith('#')]
    return {normalize(row[0].split('==')[0]): row[0].split('==')[1] for row in rows
            if host is None or host in row[2].split(',')}


def stand_in(device: dict, carried: dict) -> tuple[list[str], list[str], list[str]]:
    """The running interpreter as the device image's stand-in (``rehearse.sh``): the names of its
    distributions, those the device does not list, and those of the carried stack (setuptools aside)."""
    names = sorted({d.metadata['Name'] for d in importlib.metadata.distributions()})
    extra = [name for name in names if normalize(name) not in device]
    stack = sorted(normalize(name) for name in names if normalize(name) in carried and normalize(name) != 'setuptools')
    return names, extra, stack


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('command', choices=['roots', 'missing', 'check', 'lock', 'group', 'stand-in-extra',
                                            'stand-in-check'])
    parser.add_argument('folder', type=Path, nargs='?', help='the wheel folder (missing, check, lock, group)')
    parser.add_argument('group', nargs='?', choices=GROUPS, help='the install folder (group)')
    args = parser.parse_args(argv)
    if args.command == 'roots':
        print('\n'.join(root_lines()))
        return 0
    if args.command.startswith('stand-in'):
        names, extra, stack = stand_in(read_list(DEVICE_PACKAGES), read_lock())
        if args.command == 'stand-in-extra':
            print('\n'.join(extra))
            return 0
        print(f'[rehearse] stand-in: Python {sys.version.split()[0]}, {len(names)} packages, torch '
              f'{importlib.metadata.version("torch")}, numpy {importlib.metadata.version("numpy")}; not on the device list: '
              f'{[normalize(name) for name in extra] or "none"}; carried stack inside: {stack or "none"}')
        return 1 if extra or stack else 0
    if args.folder is None:
        parser.error(f'{args.command} needs the wheel folder, e.g. .whl')
    wheel_list = read_wheels(args.folder)
    device = read_list(DEVICE_PACKAGES)
    if args.command == 'missing':
        for req in missing(wheel_list, device, read_lock() if LOCK.exists() else None):
            print(req)
        return 0
    roots = host_roots()
    host_set = host_sets(wheel_list, roots)
    if args.command == 'group':
        if args.group is None:
            parser.error(f'group needs one of {GROUPS}')
        print('\n'.join(str(w.path) for w in wheel_list if w.name in groups(host_set)[args.group]))
        return 0
    if args.command == 'lock':
        write_lock(wheel_list, hosts_of(host_set))
        return 0
    print(table(wheel_list, hosts_of(host_set)))
    found = problems(wheel_list, device, roots)
    for line in found:
        print(f'PROBLEM: {line}')
    print('complete' if not found else f'{len(found)} problem(s)')
    return 1 if found else 0


if __name__ == '__main__':
    sys.exit(main())
