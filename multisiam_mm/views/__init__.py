"""BYOL's per-view augmentation (Sec. 4.1), host-free: the view pipelines' configs read as steps, each view's
parameters drawn with the upstream classes' own random calls, their packed row layout, Pillow's arithmetic
batched, the ``PerViewAugment`` transform and the ``ViewAugmentPreprocessor`` (docs/data.md). No SSL host is
imported (mmselfsup, mmcls, mmpretrain: tests/views/test_host_free_imports.py), so both hosts run it alike.
"""
from . import parameter_layout
from .batched_augment import augment_views
from .parameter_draws import draw_view
from .per_view_augment import PerViewAugment
from .view_augment_preprocessor import ViewAugmentPreprocessor
from .view_steps import parse_view_pipeline

__all__ = ['PerViewAugment', 'ViewAugmentPreprocessor', 'augment_views', 'draw_view', 'parameter_layout',
           'parse_view_pipeline']
