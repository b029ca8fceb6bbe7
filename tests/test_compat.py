import os
import pickle
import subprocess
import sys

import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer

import multisiam_mm  # noqa: F401  applies multisiam_mm.compat


def test_mmengine_message_hub_objects_load_with_the_safe_loader(tmp_path):
    buffer = HistoryBuffer()
    buffer.update(0.5)
    buffer.update(1.5)
    torch.save({'message_hub': {'log_scalars': {'train/loss': buffer}},
                'meta': {'seed': np.int64(3), 'lr': np.float64(0.1)}}, tmp_path / 'ckpt.pth')
    loaded = torch.load(tmp_path / 'ckpt.pth')  # weights_only=True, torch's default
    restored = loaded['message_hub']['log_scalars']['train/loss']
    assert restored.mean() == 1.0 and restored.min() == 0.5  # statistics restored from the class
    assert loaded['meta']['seed'] == 3


def test_checkpoints_written_without_the_plugin_load_too(tmp_path):
    """Plain mmengine pickles HistoryBuffer's statistics as getattr(HistoryBuffer, 'mean')."""
    code = ('import torch; from mmengine.logging import HistoryBuffer\n'
            'b = HistoryBuffer(); b.update(2.0)\n'
            f'torch.save({{"message_hub": {{"loss": b}}}}, {str(tmp_path / "plain.pth")!r})\n')
    subprocess.run([sys.executable, '-c', code], check=True)
    assert torch.load(tmp_path / 'plain.pth')['message_hub']['loss'].mean() == 2.0
    # a fresh process, where no HistoryBuffer exists yet, loads it too
    load = ('import torch, multisiam_mm\n'
            f'print(torch.load({str(tmp_path / "plain.pth")!r})["message_hub"]["loss"].mean())\n')
    out = subprocess.run([sys.executable, '-c', load], check=True, capture_output=True, text=True).stdout
    assert out.strip() == '2.0'


def test_other_attributes_and_callables_stay_refused(tmp_path):
    torch.save({'fn': HistoryBuffer.__init__}, tmp_path / 'init.pth')  # getattr(HistoryBuffer, '__init__')
    with pytest.raises(pickle.UnpicklingError, match='only HistoryBuffer statistics methods'):
        torch.load(tmp_path / 'init.pth')
    torch.save({'fn': os.system}, tmp_path / 'os.pth')
    with pytest.raises(pickle.UnpicklingError):
        torch.load(tmp_path / 'os.pth')


SNAPSHOT = r'''
import json, sys, types
import torch, mmcv, mmengine, mmselfsup
# what the plugin imports from upstream, imported first: their own import effects are not the plugin's
import mmcv.transforms, mmengine.runner, mmengine.fileio, mmengine.optim, mmselfsup.models, mmselfsup.datasets
import mmselfsup.engine, mmselfsup.registry, mmcls.models
from mmengine.fileio.backends import registry_utils
from mmengine.registry import Registry

UPSTREAM = ('mmcv', 'mmengine', 'mmselfsup', 'mmcls')


def snapshot():
    state = {'attributes': {}, 'registries': {}, 'locations': {}}
    for name, module in list(sys.modules.items()):
        if not isinstance(module, types.ModuleType) or name.split('.')[0] not in UPSTREAM:
            continue
        for attr, value in list(vars(module).items()):
            if isinstance(value, Registry):
                key = f'{value.scope}::{value.name}'
                state['registries'][key] = {k: id(v) for k, v in value.module_dict.items()}
                state['locations'][key] = list(getattr(value, '_locations', []) or [])
            elif not isinstance(value, types.ModuleType):
                state['attributes'][f'{name}.{attr}'] = id(value)
    state['backends'] = {k: id(v) for k, v in registry_utils.backends.items()}
    state['safe_globals'] = len(torch.serialization.get_safe_globals())
    return state


before = snapshot()
import multisiam_mm.mmselfsup  # noqa: E402,F401
after = snapshot()
report = {
    'replaced attributes': sorted(k for k, v in before['attributes'].items() if after['attributes'].get(k) != v),
    'replaced registry entries': sorted(f'{r}.{k}' for r, entries in before['registries'].items()
                                        for k, v in entries.items() if after['registries'][r].get(k) != v),
    'added registry entries': sorted(r for r, entries in after['registries'].items()
                                     if set(entries) - set(before['registries'].get(r, {}))),
    'moved registry locations': sorted(f'{r}: {a} -> {b}' for r in before['locations']
                                       for a, b in zip(before['locations'][r], after['locations'][r]) if a != b),
    'replaced file backends': sorted(k for k, v in before['backends'].items() if after['backends'].get(k) != v),
    'added file backends': sorted(set(after['backends']) - set(before['backends'])),
    'added safe globals': after['safe_globals'] - before['safe_globals'],
}
print(json.dumps(report))
'''


def test_import_changes_upstream_only_by_the_narrow_fixes_docs_install_names():
    """``import multisiam_mm.mmselfsup`` (a config's custom_imports) replaces nothing of mmcv, mmengine, mmselfsup
    or mmcls: the core adds its components to mmengine's root registries (only adds: no entry is replaced) and
    its ``atomic_local`` file backend, and allowlists mmengine's checkpoint types for torch's safe loader; the
    host part moves the mmselfsup registry locations that name a missing module and adds the core's data
    preprocessor under mmselfsup's scope (its pre-split scoped name). Nothing else (docs/install.md)."""
    import json
    out = subprocess.run([sys.executable, '-c', SNAPSHOT], check=True, capture_output=True, text=True).stdout
    report = json.loads(out.strip().splitlines()[-1])
    assert report['replaced attributes'] == []
    assert report['replaced registry entries'] == []
    assert report['replaced file backends'] == [] and report['added file backends'] == ['atomic_local']
    assert report['moved registry locations'] == [
        f'mmselfsup::{name}: mmselfsup.engine.runner -> mmselfsup.engine'
        for name in ('loop', 'runner constructor', 'runner')]
    assert report['added safe globals'] == len(multisiam_mm.compat.mmengine_checkpoint_globals()) + 1
    # the registries that gain the plugin's components: mmengine's root ones, and mmselfsup's models (one alias)
    assert report['added registry entries'] == [
        'mmengine::data sampler', 'mmengine::dataset', 'mmengine::hook', 'mmengine::loop', 'mmengine::model',
        'mmengine::model_wrapper', 'mmengine::optim_wrapper', 'mmengine::optimizer wrapper constructor',
        'mmengine::runner', 'mmengine::transform', 'mmselfsup::model']
