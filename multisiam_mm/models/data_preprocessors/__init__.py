from .view_augment_preprocessor import ViewAugmentPreprocessor, augment_views

__all__ = ['ViewAugmentPreprocessor', 'augment_views']
