"""Part ``env`` of the GPU check, for one host (``--host``; ``gpu_check.py`` runs it once per host, each in
the host's environment): what is installed, whether the carried wheels' requirements hold, whether the
whole stack imports, and that the other host is out of reach. Lines for the report start with ``[report]``.

The device install uses ``pip --no-deps`` (pip cannot see the image's packages from a ``--target``
folder), so nothing else checks that each carried wheel's ``Requires-Dist`` is met by a version that is
actually there; this does, with the real versions (``device_packages.txt`` records few of them).
"""
import argparse
import importlib
import importlib.metadata as metadata
import platform
import subprocess
import sys
import traceback

# beside this script (run as python lab/device/env_check.py): standard library only, like this one
import wheel_closure
from report_line import say

# the modules a pre-training run imports: the shared stack, then each host's own (its part of the plugin last)
SMOKE_IMPORTS = ['torch', 'torchvision', 'numpy', 'cv2', 'mmengine', 'mmcv', 'mmcv.transforms', 'mmseg', 'mmdet',
                 'pycocotools.coco', 'multisiam_mm']
HOST_IMPORTS = {'mmselfsup': ['mmcls.models', 'mmselfsup.models', 'multisiam_mm.mmselfsup'],
                'mmpretrain': ['mmpretrain.models', 'multisiam_mm.mmpretrain']}
# the distributions of each host that the other's environment must not see (docs/install.md)
HOST_DISTRIBUTIONS = {'mmselfsup': ['mmselfsup', 'mmcls'], 'mmpretrain': ['mmpretrain']}
# downstream fine-tuning: these import mmcv.ops (NMS, deformable convolutions...), which the carried mmcv
# lacks (built without compiled ops), so they are expected to fail there: reported, not counted
NEEDS_MMCV_OPS = ['mmseg.models', 'mmdet.models']
# carried, but installed only where the device's own lacks what we need (pkg_resources): gpu_check.sh
CONDITIONAL = {'setuptools'}


def installed_version(name: str):
    for candidate in (name, wheel_closure.ALIASES.get(name)):
        if candidate is None:
            continue
        try:
            return metadata.version(candidate)
        except metadata.PackageNotFoundError:
            continue
    return None


def requirement_problems(locked: dict[str, str]) -> list[str]:
    """Each carried distribution's requirements that the installed versions do not meet."""
    problems = []
    for name, version in locked.items():
        have = installed_version(name)
        if have is None:
            problems.append(f'{name} {version} (carried) is not installed')
            continue
        if have != version and name not in CONDITIONAL:
            problems.append(f'{name}: {have} is imported instead of the carried {version}')
        for line in metadata.requires(name) or []:
            req = wheel_closure.Requirement(line)
            if req.marker is not None and not req.marker.evaluate({'extra': ''}):
                continue
            got = installed_version(wheel_closure.normalize(req.name))
            if got is None or not req.specifier.contains(got, prereleases=True):
                problems.append(f'{name} requires {req}: installed {got or "nothing"}')
    return problems


def other_hosts_in_reach(host: str) -> list[str]:
    """The distributions of the other host(s) that this process could import (none may be)."""
    return [name for other, names in HOST_DISTRIBUTIONS.items() if other != host for name in names
            if installed_version(name) is not None]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--device', default='cuda')
    parser.add_argument('--host', choices=sorted(HOST_IMPORTS), default='mmselfsup')
    args = parser.parse_args(argv)
    import torch
    say(f'- **host {args.host}**: Python {platform.python_version()} at {sys.executable}')
    say(f'- torch {torch.__version__} (CUDA {torch.version.cuda}, cuDNN {torch.backends.cudnn.version()}), '
        f'CUDA available: {torch.cuda.is_available()}')
    if torch.cuda.is_available():
        props = torch.cuda.get_device_properties(0)
        try:
            nccl = torch.cuda.nccl.version()
            nccl = '.'.join(map(str, nccl)) if isinstance(nccl, tuple) else str(nccl)
        except Exception as error:  # reported, not fatal: part b is the NCCL check
            nccl = f'unknown ({type(error).__name__})'
        say(f'- GPU: {props.name}, {props.total_memory / 2**30:.0f} GiB, compute capability '
            f'{props.major}.{props.minor}, {torch.cuda.device_count()} device(s); NCCL {nccl}')
        try:
            smi = subprocess.run(['nvidia-smi', '--query-gpu=driver_version,clocks.sm,clocks.max.sm,power.limit,'
                                  'temperature.gpu,utilization.gpu', '--format=csv,noheader'],
                                 capture_output=True, text=True, timeout=20).stdout.strip()
            say(f'- nvidia-smi (driver, SM clock, max SM clock, power limit, temperature, load): {smi}')
        except (OSError, subprocess.TimeoutExpired) as error:
            say(f'- nvidia-smi: {error}')
    elif args.device == 'cuda':
        say('- **no CUDA device although --device cuda**: every GPU figure below is missing')
    versions = ', '.join(f'{name} {installed_version(name)}' for name in (
        'numpy', 'opencv-python-headless', 'pillow', 'pyarrow', 'scipy', 'setuptools', 'mmengine', 'mmcv',
        *HOST_DISTRIBUTIONS[args.host], 'mmsegmentation', 'mmdet', 'pycocotools'))
    say(f'- versions: {versions}')
    locked = wheel_closure.read_lock(host=args.host)
    problems = requirement_problems(locked)
    problems += [f'{name} of another host is importable here (never one environment: docs/install.md)'
                 for name in other_hosts_in_reach(args.host)]
    say(f'- carried wheels for {args.host} ({len(locked)} in lab/device/wheels.lock): '
        + ('every requirement met by an installed version, no other host in reach' if not problems
           else f'{len(problems)} problem(s):'))
    for problem in problems:
        say(f'  - {problem}')
    failed = []
    imports = SMOKE_IMPORTS + HOST_IMPORTS[args.host]
    for module in imports:
        try:
            importlib.import_module(module)
        except Exception:
            failed.append(module)
            print(traceback.format_exc(), flush=True)
    say(f'- imports: {len(imports) - len(failed)}/{len(imports)} ok'
        + (f'; **failed: {", ".join(failed)}** (tracebacks in env.log)' if failed else ''))
    try:
        import mmcv.ops  # noqa: F401
        say('- mmcv.ops: compiled ops present')
    except Exception as error:  # expected: the wheel is built without them
        say(f'- mmcv.ops: not available, as built ({type(error).__name__}); pre-training does not use it')
    downstream = []
    for module in NEEDS_MMCV_OPS:
        try:
            importlib.import_module(module)
            downstream.append(f'{module} imports')
        except Exception as error:
            downstream.append(f'{module} does not import ({type(error).__name__}: {str(error)[:60]})')
    say(f'- downstream, expected to need mmcv.ops (not counted): {"; ".join(downstream)}')
    return 1 if failed or problems else 0


if __name__ == '__main__':
    sys.exit(main())
