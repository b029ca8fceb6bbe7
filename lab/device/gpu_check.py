"""The GPU check's driver: run each part as a time-boxed subprocess and keep a markdown report up to date.

``lab/device/gpu_check.sh`` installs the carried wheels and calls this; ``lab/device/README.md`` says
how a session runs it through the device tool. Both self-supervised hosts are checked, each in processes
of its own that see only its install folder (``host_pythonpath``): MMSelfSup 1.0 and MMPretrain 1.2 can
never share one. Parts:

* ``env``: per host: versions, the carried wheels' requirements against what is installed, import smoke test;
* ``a``: ``tests/cuda`` (the ``cuda`` marker) under MMSelfSup: each 2D component and the device
  augmentation's pixels on the device equal their CPU result, whole models and a MultiSiam step under
  fp16 autocast with loss scaling within tolerance of fp32 for 20 steps, the numpy 2 fixes; under
  MMPretrain again what the host builds (``HOST_DEPENDENT_TESTS``: its models, LARS, ColorJitter);
* ``b``: the real entry point under each host, ``torchrun --nproc_per_node 1 tools/train.py
  configs/multisiam_r50_waymo.py --launcher pytorch --amp`` and its MMPretrain twin
  ``configs/mmpretrain/multisiam_r50_waymo.py``, 30 iterations each on CamVid frames written as Waymo v2
  parquet files and swapped in by ``--cfg-options`` (NCCL, SyncBN, AMP, hooks, a checkpoint), their
  losses side by side;
* ``c``: model-only pairs/s of BYOL and MultiSiam (``model_throughput.py``), under MMSelfSup;
* ``d``: the shipped pipeline with 16 workers on 1920x1280 JPEGs, end to end as a fraction of model-only,
  and per-stage figures (``pipeline_check.py``), under MMSelfSup;
* ``e``: a GPU budget for the CamVid evidence (``MULTISIAM_EVIDENCE_CMD``, e.g. ``bash
  lab/device/table4_evidence.sh``, Table 4's rows, in the MMSelfSup environment): a second command, run only
  with ``--parts e``, in what is left of ``--budget``.

Every part has its own time box, shrunk to what is left of ``--budget``; a part that fails or runs out
of time is reported as such and the next one starts; a part's steps (one per host) share its time box
and its log. ``report.md`` is rewritten after each part, so a run killed from outside still leaves the
parts it finished. At most 8 files go to ``--out`` (the device tool brings back no more): report.md and
one log per part.

    bash lab/device/gpu_check.sh                      # on the device: parts env,a,b,c,d in <= 8 minutes
    bash lab/device/gpu_check.sh --device cpu --tiny  # the CPU rehearsal, tiny sizes, a few minutes
"""
import argparse
import datetime
import math
import os
import platform
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
DEFAULT_PARTS = ('env', 'a', 'b', 'c', 'd')
HOSTS = ('mmselfsup', 'mmpretrain')  # gpu_check.sh installs each host's wheels into a folder of its own
TITLES = {
    'env': 'environment and carried wheels, both hosts',
    'a': 'a. CUDA tests (device vs CPU, pixels of the device augmentation, fp16 + loss scaling vs fp32), '
         'numpy 2 fixes, both hosts',
    'b': 'b. real entry point under both hosts: torchrun tools/train.py configs/multisiam_r50_waymo.py '
         '(and configs/mmpretrain/) --launcher pytorch --amp',
    'c': 'c. model-only pairs/s, BYOL vs MultiSiam',
    'd': 'd. pipeline pairs/s and end to end',
    'e': 'e. evidence GPU budget',
}
LOGS = {'env': 'env.log', 'a': 'cuda_tests.log', 'b': 'train.log', 'c': 'model.log', 'd': 'pipeline.log',
        'e': 'evidence.log'}
# seconds per part: on the device (the whole run <= 8 minutes) and in the CPU rehearsal (--tiny); part e,
# the second command, has no box of its own: what is left of --budget
BUDGETS = {'full': {'env': 40, 'a': 110, 'b': 170, 'c': 90, 'd': 110, 'e': math.inf},
           'tiny': {'env': 120, 'a': 500, 'b': 300, 'c': 200, 'd': 150, 'e': math.inf}}
# the main Waymo config of each host (part b)
TRAIN_CONFIGS = {'mmselfsup': 'configs/multisiam_r50_waymo.py', 'mmpretrain': 'configs/mmpretrain/multisiam_r50_waymo.py'}
# part a's test files whose subject the host builds (its ResNet, projectors, algorithm base, LARS; its
# ColorJitter and configs for the numpy 2 fixes): run under both hosts. The other tests/cuda files test the
# host-free core (the components, the views' pixels) and run once, under MMSelfSup
HOST_DEPENDENT_TESTS = ('tests/cuda/test_models_on_device.py', 'tests/cuda/test_amp_step.py',
                        'tests/device/test_numpy2_compat.py')
HOST_MARKER = '[gpu_check] host '  # starts each step's lines in a part's log
EVIDENCE_ENV = 'MULTISIAM_EVIDENCE_CMD'
MIN_PART_SECONDS = 15  # a part is not started with less time than this left


@dataclass
class Step:
    """One command of a part, run in one host's environment."""
    host: str
    cmd: list


@dataclass
class PartResult:
    """What one part did: ``status`` is passed, failed, timed out or skipped."""
    part: str
    status: str
    seconds: float = 0.0
    command: str = ''
    detail: list = field(default_factory=list)  # markdown lines for the report


def run_with_timeout(cmd: list, log_path: Path, timeout: float, env: Optional[dict] = None,
                     cwd: Path = ROOT) -> tuple[Optional[int], float]:
    """Run ``cmd`` with its output in ``log_path``; kill its whole process group after ``timeout`` seconds.

    Returns the exit code (None when it was killed for time) and the seconds it ran. The group kill
    matters: torchrun's trainer and the DataLoader workers are children that a plain kill would leave.
    """
    start = time.monotonic()
    with open(log_path, 'ab') as log:
        log.write(f'$ {shlex.join(str(c) for c in cmd)}\n'.encode())
        log.flush()
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=cwd, env=env,
                                start_new_session=True)
        try:
            code = proc.wait(timeout=max(timeout, 0.1))
        except subprocess.TimeoutExpired:
            code = None
            for sig, grace in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
                try:
                    os.killpg(proc.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    proc.wait(timeout=grace)
                    break
                except subprocess.TimeoutExpired:
                    continue
            log.write(f'\n[gpu_check] killed after {timeout:.0f} s (its time box)\n'.encode())
    return code, time.monotonic() - start


def host_pythonpath(site: Path, host: str) -> str:
    """``PYTHONPATH`` of a process under ``host``: the repo, the host's install folder and the shared one
    (``gpu_check.sh``), and the carried setuptools where it was installed; never the other host's folder."""
    folders = [ROOT, site / host, site / 'shared']
    if (site / 'setuptools').is_dir():  # installed where the image's setuptools lacks pkg_resources
        folders.append(site / 'setuptools')
    return os.pathsep.join(map(str, folders))


def run_steps(steps: list[Step], log_path: Path, timeout: float, env: dict, site: Path) -> Optional[int]:
    """The part's steps one after another in its time box, each under its host, all into one log.

    Returns the first failing exit code (None when a step ran out of time: the rest are not started), or 0.
    """
    deadline, code = time.monotonic() + timeout, 0
    for step in steps:
        with open(log_path, 'a') as log:
            log.write(f'{HOST_MARKER}{step.host}\n')
        step_code, _ = run_with_timeout(step.cmd, log_path, deadline - time.monotonic(),
                                        env=dict(env, PYTHONPATH=host_pythonpath(site, step.host)))
        if step_code is None:
            return None
        code = code or step_code
    return code


def by_host(text: str) -> dict[str, str]:
    """A part's log split at its steps' host markers: ``{host: the lines of its step(s)}``."""
    found = {}
    for chunk in text.split(HOST_MARKER)[1:]:
        host, _, rest = chunk.partition('\n')
        found[host.strip()] = found.get(host.strip(), '') + rest
    return found


def status_of(code: Optional[int], timeout: float) -> str:
    if code is None:
        return f'timed out ({timeout:.0f} s)'
    return 'passed' if code == 0 else f'failed (exit {code})'


def log_tail(path: Path, lines: int = 15) -> list[str]:
    if not path.exists():
        return []
    text = path.read_text(errors='replace').splitlines()
    return text[-lines:]


class Report:
    """The markdown report: a header, one row per part in a summary table, then each part's details."""

    def __init__(self, path: Path, header: list[str]) -> None:
        self.path = path
        self.header = header
        self.results: list[PartResult] = []

    def add(self, result: PartResult) -> None:
        self.results.append(result)
        self.write()

    def render(self) -> str:
        lines = list(self.header)
        lines += ['', '| part | status | seconds | log |', '| --- | --- | --- | --- |']
        for r in self.results:
            lines.append(f'| {TITLES[r.part]} | **{r.status}** | {r.seconds:.0f} | {LOGS[r.part]} |')
        for r in self.results:
            lines += ['', f'## {TITLES[r.part]}', '']
            if r.command:
                lines += [f'`{r.command}`', '']
            lines += r.detail
        return '\n'.join(lines) + '\n'

    def write(self) -> None:
        tmp = self.path.with_suffix('.tmp')
        tmp.write_text(self.render())
        tmp.replace(self.path)  # a reader (or a kill) never sees half a report


# ---- what each part runs, and how its log is summarized -------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def pytest_summary(log: Path) -> list[str]:
    """The pytest result lines: each failure or skip with its reason, and the closing count."""
    keep = [line for line in log_tail(log, 5000)
            if re.match(r'(FAILED|ERROR|SKIPPED|PASSED) ', line) or re.search(r'\d+ (passed|failed|skipped)', line)
            or line.startswith(('E ', '[cuda-check]', HOST_MARKER))]
    return ['```'] + keep[-90:] + ['```']


TRAIN_FACTS = [r'CUDA available: .*', r'GPU 0[,:].*', r'Distributed launcher: .*', r'Distributed training: .*',
               r'GPU number: .*', r"dist_cfg: .*", r'No CUDA device.*', r'Saving checkpoint.*',
               r'FloatingPointError.*', r'Traceback.*', r'\w*Error: .*']


TRAIN_ROW = (r'Epoch\(train\)\s+\[(\d+)\]\[\s*(\d+)/(\d+)\].*?\btime: ([\d.]+)\s+data_time: ([\d.]+)'
             r'(?:\s+memory: (\d+))?.*?\bloss: ([-\d.naif]+)')  # mmengine's line of a logged iteration


def train_summary(text: str, iterations: int) -> list[str]:
    """Iterations reached, losses, step and data times, memory from mmengine's log lines; run facts."""
    rows = re.findall(TRAIN_ROW, text)
    lines = [f'- iterations asked: {iterations}; logged: {len(rows)} line(s)']
    for epoch, it, total, step, data, memory, loss in rows[:1] + rows[max(1, len(rows) - 3):]:
        lines.append(f'  - epoch {epoch} iter {it}/{total}: loss {loss}, {float(step):.3f} s/iter (window mean), '
                     f'data {float(data):.3f} s' + (f', {memory} MiB' if memory else ''))
    for pattern in TRAIN_FACTS:
        hits = re.findall(pattern, text)
        if hits:
            lines.append(f'- `{hits[-1].strip()[:200]}`' + (f' ({len(hits)}x)' if len(hits) > 1 else ''))
    return lines


def losses_side_by_side(texts: dict[str, str]) -> list[str]:
    """A markdown table of the logged total loss per (epoch, iteration), one column per host's run."""
    losses = {host: {(int(e), int(i)): loss for e, i, _, _, _, _, loss in re.findall(TRAIN_ROW, text)}
              for host, text in texts.items()}
    keys = sorted({key for per_host in losses.values() for key in per_host})
    lines = ['| epoch | iter | ' + ' | '.join(f'loss ({host})' for host in texts) + ' |',
             '| --- | --- |' + ' --- |' * len(texts)]
    lines += [f'| {e} | {i} | ' + ' | '.join(losses[host].get((e, i), '-') for host in texts) + ' |'
              for e, i in keys]
    return lines


def train_report(log: Path, iterations: int) -> list[str]:
    """Part b's details: each host's run (:func:`train_summary`), then their losses side by side."""
    texts = by_host(log.read_text(errors='replace') if log.exists() else '')
    lines = []
    for host, text in texts.items():
        lines += [f'- **{host}** (`{TRAIN_CONFIGS[host]}`):'] + ['  ' + line for line in train_summary(text, iterations)]
    return lines + ['', 'The total loss of each logged iteration (the hosts draw their own initial weights; '
                    'the same run under both hosts is compared from shared weights by '
                    'tests/host_mmpretrain/test_mmpretrain_train.py):', ''] + losses_side_by_side(texts)


def section(log: Path, marker: str = '[report]') -> list[str]:
    """Lines a measuring script printed for the report (prefixed with ``marker``)."""
    return [line.split(marker, 1)[1][1:] for line in log_tail(log, 2000) if marker in line]


def make_camvid_parquet(folder: Path, rows: int) -> Path:
    """The bundled CamVid frames (train + val, JPEG bytes as they are) written as ``rows`` rows of Waymo v2
    ``camera_image`` parquet files (40 rows, 8 frames x 5 cameras, per segment file, in the release's
    schema and frame-major order, 8-row groups as the preparation tool writes): the main config's own
    dataset class reads them (part b)."""
    import pyarrow.parquet as pq
    from lab.waymo_camera_fixtures import RELEASED_CAMERA_ORDER, camera_image_table
    frames = sorted((ROOT / 'demo' / 'camvid').glob('*/*.jpg'))
    if not frames:
        raise FileNotFoundError('no demo/camvid/*/*.jpg frames in the repo')
    data = [path.read_bytes() for path in frames]
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob('*.parquet'):
        old.unlink()
    per_segment = 40
    for segment in range(0, rows, per_segment):
        index = range(segment, min(segment + per_segment, rows))
        name = f'camvid_{segment // per_segment:03d}'
        table = camera_image_table([(name, 1_550_000_000_000_000 + 100_000 * ((r % per_segment) // 5),
                                     RELEASED_CAMERA_ORDER[r % 5], data[r % len(data)]) for r in index])
        pq.write_table(table, folder / f'{name}.parquet', row_group_size=8)
    return folder


# tiny model for the CPU rehearsal: ResNet-18 and 64-channel heads at 64 px (the names of the main config)
TINY_MODEL = ['model.backbone.depth=18', 'model.neck.projector_1d.in_channels=512',
              'model.neck.projector_2d.in_channels=512', 'model.neck.projector_1d.hid_channels=64',
              'model.neck.projector_2d.hid_channels=64', 'model.neck.projector_1d.out_channels=32',
              'model.neck.projector_2d.out_channels=32', 'model.head.predictor.in_channels=32',
              'model.head.predictor.hid_channels=64', 'model.head.predictor.out_channels=32',
              'model.head_2d.predictor.in_channels=34', 'model.head_2d.predictor.hid_channels=64',
              'model.head_2d.predictor.out_channels=32', 'train_dataloader.dataset.pipeline.0.size=64']


def train_command(args: argparse.Namespace, data: Path, work_dir: Path, host: str = 'mmselfsup') -> tuple[list, int, int]:
    """The user's command under ``host`` (its main Waymo config) with only the data, the length and the
    logging changed; its data rows and iterations. The schedule is cut to the run's epochs as the config
    check asks (warm-up to the last epoch, the cosine in the last one), so no scheduler outlives
    ``max_epochs``."""
    batch, epochs = (4, 2) if args.tiny else (128, 3)
    rows = batch if args.tiny else 10 * batch  # tiny: 1 iteration an epoch; else 10 an epoch, 30 in all
    options = [f'train_dataloader.dataset.data_root={data}/', f'train_cfg.max_epochs={epochs}',
               f'param_scheduler.0.end={epochs - 1}', f'param_scheduler.1.begin={epochs - 1}',
               f'default_hooks.checkpoint.interval={epochs}',
               'default_hooks.logger.interval=1' if args.tiny else 'default_hooks.logger.interval=5']
    if args.tiny:
        options += TINY_MODEL + [f'train_dataloader.batch_size={batch}', 'train_dataloader.num_workers=2']
    cmd = [args.python, '-m', 'torch.distributed.run', '--nproc_per_node', '1', '--master_port', str(free_port()),
           'tools/train.py', TRAIN_CONFIGS[host], '--launcher', 'pytorch', '--amp',
           '--work-dir', str(work_dir), '--cfg-options', *options]
    return cmd, rows, epochs * rows // batch


def part_commands(args: argparse.Namespace) -> dict[str, Callable[[], tuple[list[Step], Callable[[Path], list]]]]:
    """Per part, a function that prepares it and returns its steps and its log summarizer."""
    py = args.python
    tiny = ['--tiny'] if args.tiny else []
    pytest = [py, '-m', 'pytest', '-q', '-rA', '--disable-warnings', '-p', 'no:cacheprovider']

    def env():
        return ([Step(host, [py, str(HERE / 'env_check.py'), '--device', args.device, '--host', host])
                 for host in HOSTS], lambda log: section(log))

    def a():
        # the device comparisons and the numpy 2 fixes under the device's numpy; then the host's models again
        return [Step('mmselfsup', pytest + ['tests/cuda', 'tests/device/test_numpy2_compat.py']),
                Step('mmpretrain', pytest + list(HOST_DEPENDENT_TESTS))], pytest_summary

    def b():
        data = Path(args.scratch) / 'camvid_waymo_parquet'
        steps = []
        for host in HOSTS:
            cmd, rows, iterations = train_command(args, data, Path(args.scratch) / f'train_work_dir_{host}', host)
            steps.append(Step(host, cmd))
        make_camvid_parquet(data, rows)
        return steps, lambda log: [f'- data: {rows} rows of CamVid frames as Waymo v2 parquet in {data}'] + \
            train_report(log, iterations)

    def c():
        return ([Step('mmselfsup', [py, str(HERE / 'model_throughput.py'), '--device', args.device, *tiny])],
                lambda log: section(log))

    def d():
        return ([Step('mmselfsup', [py, str(HERE / 'pipeline_check.py'), '--device', args.device, *tiny])],
                lambda log: section(log))

    def e():
        command = os.environ.get(EVIDENCE_ENV)
        if not command:
            return None, None
        return [Step('mmselfsup', ['bash', '-c', command])], lambda log: ['```'] + log_tail(log, 30) + ['```']

    return {'env': env, 'a': a, 'b': b, 'c': c, 'd': d, 'e': e}


def header(args: argparse.Namespace) -> list[str]:
    when = datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')
    try:
        commit = subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], cwd=ROOT, capture_output=True, text=True,
                                timeout=10).stdout.strip() or 'unknown (no .git)'
    except (OSError, subprocess.TimeoutExpired):
        commit = 'unknown (no git)'
    return [f'# GPU check: {"CPU rehearsal, tiny sizes" if args.tiny else "device run"}, {when}', '',
            f'- device: {args.device}; host {platform.node()}, {os.cpu_count()} CPUs, Python '
            f'{platform.python_version()} ({args.python}); repo commit {commit}',
            f'- parts: {", ".join(args.parts)}; budget {args.budget:.0f} s; logs beside this report; each host '
            f'({", ".join(HOSTS)}) in processes of its own over its install folder in {args.site}',
            f'- command: `{shlex.join(sys.argv)}`']


def run_parts(args: argparse.Namespace, report: Report, budgets: dict) -> None:
    deadline = time.monotonic() + args.budget
    commands = part_commands(args)
    env = dict(os.environ, MULTISIAM_CHECK_DEVICE=args.device, MULTISIAM_CHECK_TINY='1' if args.tiny else '0',
               PYTHONUNBUFFERED='1')
    for part in args.parts:
        log = Path(args.out) / LOGS[part]
        left = deadline - time.monotonic() - 5
        timeout = min(budgets[part], left)
        if timeout < MIN_PART_SECONDS:
            report.add(PartResult(part, 'skipped (no time left in the budget)'))
            continue
        start = time.monotonic()
        try:
            steps, summarize = commands[part]()
        except Exception as error:  # preparing the part failed (e.g. writing its data)
            report.add(PartResult(part, f'failed (preparing: {type(error).__name__}: {error})',
                                  time.monotonic() - start))
            continue
        if steps is None:
            report.add(PartResult(part, f'skipped (no command: set {EVIDENCE_ENV})'))
            continue
        code = run_steps(steps, log, timeout, env, Path(args.site))
        try:
            detail = summarize(log)
        except Exception as error:
            detail = [f'(could not summarize the log: {error})']
        if code:  # failed: the end of the log says why
            detail += ['', 'end of the log:', '```'] + log_tail(log, 25) + ['```']
        command = '`; `'.join(f'{step.host}: {shlex.join(map(str, step.cmd))}' for step in steps)
        report.add(PartResult(part, status_of(code, timeout), time.monotonic() - start,
                              command.replace(str(ROOT) + '/', ''), detail))


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--device', choices=['cuda', 'cpu'], default='cuda')
    parser.add_argument('--tiny', action='store_true', help='tiny sizes: the CPU rehearsal of the whole script')
    parser.add_argument('--parts', default=','.join(DEFAULT_PARTS),
                        help=f'comma-separated, from {",".join(TITLES)} (default {",".join(DEFAULT_PARTS)})')
    parser.add_argument('--budget', type=float, help='seconds for all parts (default 450 on the device: with the install the '
                        'run must end within 8 minutes; 1200 with --tiny)')
    parser.add_argument('--out', default=os.environ.get('OUT', str(ROOT / 'work_dirs' / 'gpu_check')),
                        help='folder for report.md and the logs (default $OUT)')
    parser.add_argument('--scratch', default='/tmp/gpu_check', help='data and work dirs (not brought back)')
    parser.add_argument('--python', default=sys.executable, help='interpreter of the parts')
    parser.add_argument('--site', default='/tmp/multisiam_site',
                        help="gpu_check.sh's install folders: shared/, mmselfsup/, mmpretrain/ (and setuptools/)")
    args = parser.parse_args(argv)
    args.parts = [p.strip() for p in args.parts.split(',') if p.strip()]
    unknown = [p for p in args.parts if p not in TITLES]
    if unknown:
        parser.error(f'unknown part(s) {unknown}; choose from {list(TITLES)}')
    if args.budget is None:
        args.budget = 1200.0 if args.tiny else 450.0
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    Path(args.out).mkdir(parents=True, exist_ok=True)
    Path(args.scratch).mkdir(parents=True, exist_ok=True)
    report = Report(Path(args.out) / 'report.md', header(args))
    report.write()
    run_parts(args, report, BUDGETS['tiny' if args.tiny else 'full'])
    print(report.render(), flush=True)
    return 0 if all(r.status == 'passed' for r in report.results) else 1


if __name__ == '__main__':
    sys.exit(main())
