"""Hook that stops a fine-tuning run whose backbone was not fully loaded from the pre-training checkpoint."""
import logging

from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper
from mmengine.registry import HOOKS

from ..checkpoints import check_pretrained_loaded


@HOOKS.register_module()
class PretrainedLoadCheckHook(Hook):
    """Run :func:`check_pretrained_loaded` once, after weight init and before the first iteration.

    Registered in mmengine's root ``HOOKS`` so ``custom_hooks=[dict(type='PretrainedLoadCheckHook')]``
    works under ``default_scope='mmseg'`` and ``'mmdet'``. Skipped when the run resumes or uses
    ``load_from``, whose weights legitimately replace the pre-trained ones.

    Args:
        raise_error: Raise on a module that does not hold its checkpoint's weights; False only logs.
            Defaults to True.
    """

    priority = 'VERY_HIGH'

    def __init__(self, raise_error: bool = True) -> None:
        self.raise_error = raise_error

    def before_train(self, runner) -> None:
        if runner._resume or runner._load_from is not None:
            print_log('PretrainedLoadCheckHook: skipped, the weights come from '
                      f'{"resume" if runner._resume else "load_from"}', logger='current')
            return
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        reports = check_pretrained_loaded(model, raise_error=self.raise_error)
        if not reports:
            print_log('PretrainedLoadCheckHook: no module has a Pretrained init_cfg: the model trains from '
                      'random init', logger='current', level=logging.WARNING)
