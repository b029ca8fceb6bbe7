"""Write the resolved text of every config under configs/, one file per config, to compare two versions.

    python tools/analysis/resolved_configs.py /tmp/resolved_before   # before a refactoring of configs/
    python tools/analysis/resolved_configs.py /tmp/resolved_after    # after it
    diff -r /tmp/resolved_before /tmp/resolved_after                 # nothing: behaviour unchanged

Every ``configs/**/*.py`` is loaded with ``mmengine.config.Config.fromfile`` from the repository root
(bases included: each one that loads on its own is compared too) and its ``pretty_text`` is written to
``<out>/<path relative to configs/>.txt``. A file that does not load gets ``<...>.txt.error`` with the
exception instead, and is named in the summary; the exit status is 0 either way, since some bases only
load inside their child (they read variables they do not define). The configs under configs/benchmarks/
need the downstream plug-in (``multisiam_mm.downstream.segmentation``, which imports mmseg), imported here
so that their ``custom_imports`` resolve.
"""
import argparse
import os
import sys
import traceback
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def resolve_all(out: Path, configs: Path) -> tuple[int, list[str]]:
    """Write each config's ``pretty_text`` under ``out``; return (number written, the configs that failed)."""
    from mmengine.config import Config

    written, failed = 0, []
    for path in sorted(configs.rglob('*.py')):
        name = path.relative_to(configs).as_posix()
        target = out / f'{name}.txt'
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            text = Config.fromfile(str(path.relative_to(REPO))).pretty_text
        except Exception:  # noqa: BLE001 -- record any failure by name and keep going
            failed.append(name)
            target.with_name(target.name + '.error').write_text(traceback.format_exc(limit=1))
            continue
        target.write_text(text)
        written += 1
    return written, failed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('out', type=Path, help='output folder (created; best outside the repository)')
    args = parser.parse_args()
    out = args.out.resolve()
    if out.exists() and any(out.iterdir()):
        sys.exit(f'{out} is not empty: give a new folder, or remove it first')
    warnings.filterwarnings('ignore', message='pkg_resources is deprecated')  # one per custom import
    os.chdir(REPO)  # configs resolve their relative bases and data roots from the repository root
    import multisiam_mm  # noqa: F401
    try:
        import multisiam_mm.downstream.segmentation  # noqa: F401 -- the mmseg components of configs/benchmarks/
    except ImportError as error:
        print(f'multisiam_mm.downstream.segmentation not importable ({error}): the benchmark configs may fail',
              file=sys.stderr)
    out.mkdir(parents=True, exist_ok=True)
    written, failed = resolve_all(out, REPO / 'configs')
    print(f'{written} configs resolved into {out}; {len(failed)} failed to load on their own'
          + ''.join(f'\n  {name}' for name in failed))


if __name__ == '__main__':
    main()
