"""CamVid, 11-class SegNet release: the project's small real segmentation benchmark."""
from typing import Optional, Sequence

from mmseg.datasets import BaseSegDataset
from mmseg.registry import DATASETS

from ...datasets.camvid_classes import CAMVID_CLASSES, CAMVID_PALETTE, CAMVID_VOID_ID


@DATASETS.register_module()
class CamVidDataset(BaseSegDataset):
    """CamVid in the 480x360, 11-class layout of the SegNet benchmark.

    Layout under ``data_root`` (``demo/camvid`` bundled with the repo; the full 468-frame CamVid the same)::

        train/<stem>.jpg   trainannot/<stem>.png   train.txt (one stem a line)
        val/<stem>.jpg     valannot/<stem>.png     val.txt

    Label PNGs are single-channel ids 0..10 (the classes of :mod:`multisiam_mm.datasets.camvid_classes`)
    and 11 for void. Void is mapped to 255, the ignore index of mmseg's losses, ``IoUMetric`` and the data
    preprocessor's ``seg_pad_val``, so padding and void are ignored alike.

    Args:
        img_suffix: Image file suffix. Defaults to ``'.jpg'``.
        seg_map_suffix: Label map suffix. Defaults to ``'.png'``.
        **kwargs: Passed to :class:`mmseg.datasets.BaseSegDataset` (``data_root``, ``ann_file``,
            ``data_prefix=dict(img_path='train', seg_map_path='trainannot')``, ``pipeline``...).
    """

    METAINFO = dict(classes=CAMVID_CLASSES, palette=[list(rgb) for rgb in CAMVID_PALETTE])

    def __init__(self, img_suffix: str = '.jpg', seg_map_suffix: str = '.png', **kwargs) -> None:
        if kwargs.get('reduce_zero_label'):
            raise ValueError(f'CamVidDataset: reduce_zero_label=True would drop "{CAMVID_CLASSES[0]}" (id 0); void is '
                             f'id {CAMVID_VOID_ID} and is already ignored: remove reduce_zero_label from the config')
        super().__init__(img_suffix=img_suffix, seg_map_suffix=seg_map_suffix, **kwargs)

    @classmethod
    def get_label_map(cls, new_classes: Optional[Sequence] = None) -> dict[int, int]:
        """Label id map applied by ``LoadAnnotations``: void (11) -> 255, plus any class subsetting.

        Args:
            new_classes: Classes from the config's ``metainfo``; ``None`` keeps all 11.

        Returns:
            ``{old_id: new_id}`` for every id in the PNGs, 0..11.
        """
        label_map = super().get_label_map(new_classes)
        if label_map is None:
            label_map = {i: i for i in range(len(cls.METAINFO['classes']))}
        label_map[CAMVID_VOID_ID] = 255
        return label_map
