"""multisiam_mm.views is host-free: neither its files nor the plugin modules they import at module level import
mmselfsup, mmcls or mmpretrain, so the same augmentation serves MMSelfSup 1.0 and MMPretrain 1.2.

Read from the source with ``ast`` rather than observed in ``sys.modules``: ``multisiam_mm/__init__.py`` still
imports the mmselfsup-bound modules (until the package-wide split), so ``import multisiam_mm.views`` cannot
run alone yet; this check stays true after the split. Imports inside function bodies are not followed (they
run only when called, e.g. compat's repair of mmselfsup's registries).
"""
import ast
from pathlib import Path

from tool_scripts import REPO

HOSTS = ('mmselfsup', 'mmcls', 'mmpretrain')
PACKAGE = REPO / 'multisiam_mm'


def module_path(name: str) -> Path:
    """The source file of ``multisiam_mm.<...>`` (a module, or a package's ``__init__.py``)."""
    path = REPO.joinpath(*name.split('.'))
    return path / '__init__.py' if path.is_dir() else path.with_suffix('.py')


def package_of(path: Path) -> str:
    """The package a repository file's relative imports start from (a package's ``__init__``: itself)."""
    return '.'.join(path.relative_to(REPO).parts[:-1])


def top_level_imports(source: str, package: str) -> list[str]:
    """The absolute module names ``source`` (in ``package``) imports outside function and class bodies;
    ``from .x import y`` also names ``.x.y`` where that is a plugin module."""
    names, pending = [], list(ast.parse(source).body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit('.', node.level - 1)[0] if node.level else ''
            module = '.'.join(part for part in (base, node.module) if part)
            names.append(module)
            names += [f'{module}.{alias.name}' for alias in node.names
                      if module.startswith('multisiam_mm') and module_path(f'{module}.{alias.name}').exists()]
        elif not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            pending += list(ast.iter_child_nodes(node))  # if / try blocks at module level
    return names


def plugin_modules_reached(start: list[Path]) -> dict[Path, list[str]]:
    """Every plugin file reached from ``start`` through module-level imports, with its imports: the
    ``__init__`` of each package on the way too, but the root package's (see the module docstring)."""
    reached, pending = {}, list(start)
    while pending:
        path = pending.pop()
        if path not in reached:
            reached[path] = top_level_imports(path.read_text(), package_of(path))
            parts = [name.split('.') for name in reached[path] if name.startswith('multisiam_mm.')]
            pending += [module_path('.'.join(name[:i])) for name in parts for i in range(2, len(name) + 1)]
    return reached


def test_the_views_files_and_what_they_import_import_no_ssl_host():
    reached = plugin_modules_reached(sorted((PACKAGE / 'views').glob('*.py')))
    assert {PACKAGE / 'compat.py', PACKAGE / 'registry.py', PACKAGE / 'structures' / 'packed_fields.py',
            PACKAGE / 'structures' / '__init__.py'} <= set(reached)  # the walk left views/
    offending = {str(path.relative_to(REPO)): name for path, names in reached.items() for name in names
                 if name.split('.')[0] in HOSTS}
    assert not offending, f'host imports reachable from multisiam_mm.views: {offending}'


def test_the_walk_sees_module_level_blocks_and_relative_imports_and_skips_function_bodies():
    source = ('from . import parameter_layout\nfrom ..registry import MODELS\ntry:\n    import mmselfsup.registry\n'
              'except ImportError:\n    pass\ndef later():\n    import mmpretrain\n')
    names = top_level_imports(source, 'multisiam_mm.views')
    assert set(names) == {'multisiam_mm.views', 'multisiam_mm.views.parameter_layout', 'multisiam_mm.registry',
                          'mmselfsup.registry'}
