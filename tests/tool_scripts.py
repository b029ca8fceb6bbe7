"""Import a script by path (tools/ and lab/device/ hold scripts, not packages): one helper for every test folder."""
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]


def load_tool(relative_path: str) -> ModuleType:
    """The script at ``relative_path`` from the repo root, freshly executed as module ``tool_<stem>``, with its
    folder first on ``sys.path`` while it runs, as Python puts it there for a script: it imports the modules
    beside it (e.g. the Waymo converter its ``waymo_tfrecord``) as it does when run."""
    path = REPO / relative_path
    spec = importlib.util.spec_from_file_location(f'tool_{path.stem}', path)
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(path.parent))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(path.parent))
    return module
