"""Reading the fields the pipeline packs for the model, whichever host packed them.

The core's ``PackViews`` (and mmpretrain's ``PackInputs(algorithm_keys=...)``) set each field on the data
sample itself; mmselfsup's ``PackSelfSupInputs(pseudo_label_keys=...)``, which configs written before the
core packed its own, nests them in ``sample.pseudo_label``. Both are read the same way, so those configs
still train and resume.
"""
from mmengine.structures import BaseDataElement
from torch import Tensor


def packed_field(sample: BaseDataElement, key: str) -> Tensor:
    """``sample.<key>``, or ``sample.pseudo_label.<key>`` when mmselfsup's packing nested it there."""
    if key in sample:
        return sample.get(key)
    nested = sample.get('pseudo_label')
    if nested is not None and key in nested:
        return nested.get(key)
    raise KeyError(f'the data sample holds no {key!r} (fields: {sorted(sample.keys())}); pack it with '
                   f"PackViews(fields=[..., {key!r}]) at the end of the pipeline")


def has_packed_field(sample: BaseDataElement, key: str) -> bool:
    """Whether :func:`packed_field` finds ``key`` in ``sample``."""
    nested = sample.get('pseudo_label')
    return key in sample or (nested is not None and key in nested)
