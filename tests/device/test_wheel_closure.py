"""lab/device/wheel_closure.py and the committed wheel list: what travels to the GPU machine covers what the
code imports, and the closure logic finds gaps, duplicates and oversize sets."""
import json
import subprocess
import sys
import zipfile

from tool_scripts import REPO, load_tool

closure = load_tool('lab/device/wheel_closure.py')


def fake_wheel(folder, name, version, requires=(), size=0):
    """A minimal wheel file: a dist-info METADATA with ``Requires-Dist`` lines (and ``size`` bytes of padding)."""
    path = folder / f'{name.replace("-", "_")}-{version}-py3-none-any.whl'
    lines = ['Metadata-Version: 2.1', f'Name: {name}', f'Version: {version}']
    lines += [f'Requires-Dist: {req}' for req in requires]
    with zipfile.ZipFile(path, 'w') as archive:
        archive.writestr(f'{name.replace("-", "_")}-{version}.dist-info/METADATA', '\n'.join(lines) + '\n')
        if size:
            archive.writestr('padding.bin', b'\0' * size, compress_type=zipfile.ZIP_STORED)
    return path


DEVICE = {'numpy': '2.5.2', 'opencv-python-headless': None, 'pyyaml': None}


def test_missing_follows_requirements_markers_extras_and_aliases(tmp_path):
    fake_wheel(tmp_path, 'mmthing', '1.0', [
        'numpy', 'PyYAML', 'opencv-python>=3',  # met by the device (opencv-python by the headless build)
        'addict', 'Tomli; python_version < "3.11"', 'pytest; extra == "tests"',  # only addict applies
        'pywin32; sys_platform == "win32"', 'termcolor (>=1.1)'])
    fake_wheel(tmp_path, 'termcolor', '3.3.0')
    wheels = closure.read_wheels(tmp_path)
    assert [str(r) for r in closure.missing(wheels, DEVICE)] == ['addict']
    assert closure.missing(wheels, DEVICE, locked={'addict': '2.4.0'}) == ['addict==2.4.0']  # last set's version


def test_a_device_version_outside_the_specifier_is_a_gap_not_a_silent_pass(tmp_path):
    fake_wheel(tmp_path, 'oldlib', '1.0', ['numpy<2'])
    assert [str(r) for r in closure.missing(closure.read_wheels(tmp_path), DEVICE)] == ['numpy<2']


def test_problems_name_gaps_duplicates_missing_roots_and_size(tmp_path):
    fake_wheel(tmp_path, 'mmthing', '1.0', ['addict', 'termcolor>=4'])
    fake_wheel(tmp_path, 'termcolor', '3.3.0', size=2048)
    fake_wheel(tmp_path, 'termcolor', '3.2.0')
    found = closure.problems(closure.read_wheels(tmp_path), DEVICE, {'one': ['mmthing', 'mmother']}, limit=1024)
    text = '\n'.join(found)
    assert 'termcolor: 2 wheels' in text
    assert "mmother: a root (wheels.txt or a host's requirements) but no wheel" in text
    assert 'one: mmthing 1.0 requires addict: neither the folder nor the device has it' in text
    assert 'requires termcolor>=4: the folder has 3.' in text
    assert 'over the 0 MiB carry limit' in text


def two_hosts(folder, host_b_requires=('mmcore', 'addict')):
    """A shared stack (mmcore, needing addict), host A (needing mat), host B (needing ``host_b_requires``)."""
    fake_wheel(folder, 'mmcore', '1.0', ['addict'])
    fake_wheel(folder, 'addict', '2.4.0')
    fake_wheel(folder, 'host-a', '1.0', ['mat'])
    fake_wheel(folder, 'mat', '0.6')
    fake_wheel(folder, 'host-b', '1.0', host_b_requires)
    return closure.read_wheels(folder)


def test_each_host_gets_its_closure_and_the_shared_folder_what_both_need(tmp_path):
    roots = {'a': ['mmcore', 'host-a'], 'b': ['mmcore', 'host-b']}
    host_set = closure.host_sets(two_hosts(tmp_path), roots)
    assert host_set == {'a': {'mmcore', 'addict', 'host-a', 'mat'}, 'b': {'mmcore', 'addict', 'host-b'}}
    assert closure.groups(host_set) == {'shared': {'mmcore', 'addict'}, 'a': {'host-a', 'mat'}, 'b': {'host-b'}}
    assert closure.hosts_of(host_set)['addict'] == 'a,b' and closure.hosts_of(host_set)['mat'] == 'a'
    assert closure.problems(closure.read_wheels(tmp_path), DEVICE, roots) == []


def test_a_host_met_only_by_the_other_hosts_wheel_or_reaching_its_root_is_a_problem(tmp_path):
    wheels = two_hosts(tmp_path, host_b_requires=['mat<0.5'])  # met by host A's wheel, and not even there
    found = closure.problems(wheels, DEVICE, {'a': ['mmcore', 'host-a'], 'b': ['mmcore', 'host-b']})
    assert found == ['b: host-b 1.0 requires mat<0.5: the folder has 0.6']
    (tmp_path / 'reaching').mkdir()
    reaching = two_hosts(tmp_path / 'reaching', host_b_requires=['mmcore', 'host-a'])
    assert closure.problems(reaching, DEVICE, {'a': ['mmcore', 'host-a'], 'b': ['mmcore', 'host-b']}) == [
        'b: its closure reaches host-a, a root of another host (never one install folder)']
    stale = closure.problems(wheels, DEVICE, {'a': ['host-a'], 'b': ['host-a']})
    assert 'mmcore: in the folder, but no host needs it' in stale


def test_lock_round_trips(tmp_path):
    lock = tmp_path / 'wheels.lock'
    closure.write_lock(two_hosts(tmp_path), {'addict': 'a,b', 'host-a': 'a', 'host-b': 'b', 'mat': 'a',
                                             'mmcore': 'a,b'}, lock)
    assert closure.read_lock(lock) == {'addict': '2.4.0', 'host-a': '1.0', 'host-b': '1.0', 'mat': '0.6',
                                       'mmcore': '1.0'}
    assert closure.read_lock(lock, host='b') == {'addict': '2.4.0', 'host-b': '1.0', 'mmcore': '1.0'}


def test_committed_lock_holds_every_root_one_version_each_for_the_device_platform():
    lock_lines = [line for line in closure.LOCK.read_text().splitlines() if line and not line.startswith('#')]
    names = [closure.normalize(line.split('==')[0]) for line in lock_lines]
    assert len(names) == len(set(names))
    for host, roots in closure.host_roots().items():
        assert set(roots) <= set(closure.read_lock(host=host)), host
    for line in lock_lines:
        filename = line.split()[1]
        assert filename.endswith(('-none-any.whl', 'x86_64.whl')), filename
        assert ('-cp312-' in filename or '-abi3-' in filename or '-none-any' in filename), filename
    selfsup, pretrain = closure.read_lock(host='mmselfsup'), closure.read_lock(host='mmpretrain')
    assert selfsup['mmcv'] == pretrain['mmcv'] == '2.0.1' and selfsup['mmselfsup'] == '1.0.0'
    assert pretrain['mmpretrain'] == '1.2.0' and pretrain['importlib-metadata'] == '7.0.1'
    # the two hosts never share an install folder: docs/install.md
    assert not {'mmselfsup', 'mmcls'} & set(pretrain) and 'mmpretrain' not in selfsup


IMPORT_CLOSURE = """
import importlib, importlib.metadata as md, json, sys
import torch, torchvision, numpy  # the device image's own: what they load is the image's business
baseline = set(sys.modules)
for module in sys.argv[1:]:
    importlib.import_module(module)
owners = md.packages_distributions()
tops = {name.split('.')[0] for name in set(sys.modules) - baseline}
print(json.dumps({top: owners[top] for top in sorted(tops)
                  if top in owners and top not in sys.stdlib_module_names and top != 'multisiam_mm'}))
"""


HOST_MODULES = {'mmselfsup': ['multisiam_mm.mmselfsup', 'mmselfsup.models', 'mmselfsup.datasets', 'mmcls.models'],
                'mmpretrain': ['multisiam_mm.mmpretrain', 'mmpretrain.models', 'mmpretrain.datasets']}


def test_lock_and_device_list_cover_everything_the_code_imports(host):
    """Every distribution whose modules load when the package with this environment's host part, the
    pre-training stack, the benchmarks' stack and pytest are imported (in a fresh interpreter, beyond what
    torch loads) is carried for this host (wheels.lock) or already on the device (device_packages.txt)."""
    modules = [*HOST_MODULES[host], 'mmengine.runner', 'mmcv.transforms', 'pycocotools.coco', 'mmseg', 'mmdet',
               'pyarrow.parquet', 'cv2', 'PIL', 'pytest']
    result = subprocess.run([sys.executable, '-c', IMPORT_CLOSURE, *modules], capture_output=True, text=True,
                            cwd=REPO, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    owners = json.loads(result.stdout.splitlines()[-1])
    carried, device = closure.read_lock(host=host), closure.read_list(closure.DEVICE_PACKAGES)
    assert 'mmcv' in owners and host in owners  # the probe saw the stack
    uncovered = {}
    for top, dists in owners.items():
        for dist in map(closure.normalize, dists):
            if dist not in carried and dist not in device and closure.ALIASES.get(dist) not in device:
                uncovered.setdefault(dist, top)
    assert not uncovered, f'imported here but neither carried nor on the device: {uncovered}'
