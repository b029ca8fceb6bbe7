"""The cluster picture of a random backbone is the same every run (its seed is fixed)."""
import subprocess
import sys
from pathlib import Path

from tool_scripts import REPO, load_tool


def draw(tool, monkeypatch, out: Path, *extra: str) -> bytes:
    frame = sorted((REPO / 'demo/camvid/val').glob('*.jpg'))[0]
    monkeypatch.setattr(sys, 'argv', ['visualize_clusters.py', str(REPO / 'configs/multisiam_r18_camvid.py'),
                                      'random', str(frame), '--short-side', '96', '--out', str(out), *extra])
    tool.main()
    return out.read_bytes()


def test_the_random_backbone_draws_the_same_clusters_every_run_and_its_seed_matters(tmp_path, monkeypatch):
    tool = load_tool('tools/analysis/visualize_clusters.py')
    first = draw(tool, monkeypatch, tmp_path / 'a.png')
    assert draw(tool, monkeypatch, tmp_path / 'b.png') == first
    assert draw(tool, monkeypatch, tmp_path / 'c.png', '--seed', '1') != first


def test_the_backbones_weight_init_report_is_not_printed(tmp_path):
    """mmengine reports each tensor's init (a ResNet-18: 240 lines) when no log file is open; the tool
    leaves it to log_level DEBUG."""
    frame = sorted((REPO / 'demo/camvid/val').glob('*.jpg'))[0]
    result = subprocess.run([sys.executable, 'tools/analysis/visualize_clusters.py', 'configs/multisiam_r18_camvid.py',
                             'random', str(frame), '--short-side', '96', '--out', str(tmp_path / 'a.png')],
                            cwd=REPO, capture_output=True, text=True, check=True)
    assert (result.stdout + result.stderr).count(' - torch.Size(') == 0  # 'conv1.weight - torch.Size([...]):'
