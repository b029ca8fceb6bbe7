"""Import a script by path (tools/ and lab/device/ hold scripts, not packages): one helper for every test folder."""
import importlib.util
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]


def load_tool(relative_path: str) -> ModuleType:
    """The script at ``relative_path`` from the repo root, freshly executed as module ``tool_<stem>``."""
    path = REPO / relative_path
    spec = importlib.util.spec_from_file_location(f'tool_{path.stem}', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
