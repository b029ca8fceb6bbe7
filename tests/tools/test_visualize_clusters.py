"""The cluster picture of a random backbone is the same every run (its seed is fixed)."""
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
