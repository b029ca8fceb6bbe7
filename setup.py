from pathlib import Path

from setuptools import find_packages, setup


def pinned_requirements() -> list[str]:
    """Runtime requirements, pinned to requirements/constraints.txt (the stack asserts its versions)."""
    req = Path(__file__).parent / 'requirements'
    pins = dict(
        line.split('==') for line in (req / 'constraints.txt').read_text().splitlines()
        if '==' in line and not line.startswith('#'))
    names = []
    for group in ('torch', 'mmcv', 'runtime'):
        for line in (req / f'{group}.txt').read_text().splitlines():
            name = line.split('#')[0].split('==')[0].strip()
            if name:
                names.append(f'{name}=={pins[name]}' if name in pins else name)
    return names


setup(
    name='multisiam_mm',
    version='0.1.0',
    description='MultiSiam (ICCV 2021) self-supervised pre-training for MMSelfSup, MMSeg and MMDet',
    packages=find_packages(include=['multisiam_mm', 'multisiam_mm.*']),
    python_requires='==3.11.*',
    install_requires=pinned_requirements(),
    license='Apache-2.0',
)
