"""Loading and the IoU-constrained pair crop in one step, decoding a JPEG only as finely as its crops need.

Sec. 3.2 / 4.1 crop two views and resize them to 224 x 224. On a 1920x1280 street frame the crops
are typically 3-6x larger than the output, so most of a full-resolution decode is thrown away by the
resize. The pair is sampled from the image size alone (the JPEG header), then the JPEG is decoded
with libjpeg's scaled IDCT at the coarsest scale 1/s that still leaves every crop at least the
output resolution, and each box, divided by s, is resampled straight to the output size. Reading
and decoding, at either scale, live in :mod:`multisiam_mm.datasets.image_decoding`: one read, one
decode per sample.
"""
from typing import Optional

import numpy as np
from mmcv.image.geometric import pillow_interp_codes

from ...registry import TRANSFORMS

from ..image_decoding import EncodedImage
from .iou_constrained_pair_crop import IoUConstrainedPairCrop
from .load_image_or_skip import LoadImageOrSkip

DECODES = ('reduced', 'full')


@TRANSFORMS.register_module()
class LoadAndPairCrop(IoUConstrainedPairCrop):
    """:class:`LoadImageOrSkip` and :class:`IoUConstrainedPairCrop` in one step, with reduced-scale JPEG
    decoding (Sec. 3.2, 4.1).

    The pair of boxes is drawn exactly as by :class:`IoUConstrainedPairCrop` (same sampler, same
    random numbers), from the image size read in the JPEG header. With ``decode='reduced'`` the JPEG
    is then decoded at the largest DCT scale 1/s, s in {1, 2, 4, 8} (Pillow's ``draft``, i.e.
    libjpeg-turbo's scaled IDCT), at which both crops keep at least ``oversample`` x ``size`` pixels
    per axis (:func:`jpeg_decode_scale`), and each box divided by s (fractional, no rounding) is
    resampled to ``size`` by Pillow's ``resize(box=...)`` with the same filter as BYOL's resize. The
    views differ from full-resolution decoding by resampling noise only (PSNR in
    docs/performance.md). Boxes stay in original-image pixels, so the contract with the model is
    unchanged. Non-JPEG files, CMYK and EXIF-rotated JPEGs take the full decode.

    ``decode='full'`` decodes at full resolution with OpenCV and crops exactly as
    :class:`LoadImageOrSkip` followed by :class:`IoUConstrainedPairCrop` (identical views and boxes
    for the same random state): the exact mode, e.g. to audit the reduced one.

    Bad files are skipped (``None``, the dataset draws another index) with the warning and running
    count of :class:`LoadImageOrSkip`, or raise with ``skip_bad=False``.

    Required keys: ``img_path``; optional ``img_bytes``. Added keys: ``img`` ``[view1, view2]``, each
    (size_h, size_w, 3) uint8 BGR; ``img_shape`` (size); ``ori_shape`` (H, W) of the original image;
    ``crop_boxes`` float32 (2, 4) in original-image pixels; ``decode_scale`` the s used (1 = full).
    Removed keys: ``img_bytes``, ``img_error``.

    Args:
        decode: 'reduced' (scaled JPEG decoding) or 'full' (exact). Defaults to 'reduced'.
        oversample: least ratio of a reduced crop's side to the output side, >= 1; larger values
            decode more finely (slower, closer to 'full'). Defaults to 1.0.
        skip_bad: skip bad files (True) or raise on them (False). Defaults to True.
        backend_args: mmengine file backend arguments. Defaults to None.
        **pair_crop: the arguments of :class:`IoUConstrainedPairCrop` (``size``, ``scale``, ``ratio``,
            ``iou_threshold``, ``max_attempts``, ``batch_size``, ``interpolation``, ``backend``), with its
            defaults; ``decode='reduced'`` needs ``backend='pillow'``.
    """

    def __init__(self,
                 decode: str = 'reduced',
                 oversample: float = 1.0,
                 skip_bad: bool = True,
                 backend_args: Optional[dict] = None,
                 **pair_crop) -> None:
        super().__init__(**pair_crop)
        if decode not in DECODES:
            raise ValueError(f'decode must be one of {DECODES}, got {decode!r}')
        if decode == 'reduced' and self.backend != 'pillow':
            raise ValueError(f"decode='reduced' resamples with Pillow; got backend={self.backend!r}: use "
                             "backend='pillow' or decode='full'")
        if not oversample >= 1:
            raise ValueError(f'oversample must be >= 1 (a reduced crop never smaller than the output), '
                             f'got {oversample}')
        self.decode = decode
        self.oversample = oversample
        self.loader = LoadImageOrSkip(skip_bad=skip_bad, backend_args=backend_args)
        self._resample = pillow_interp_codes[self.interpolation] if self.backend == 'pillow' else None

    def transform(self, results: dict) -> Optional[dict]:
        img_path = results.get('img_path', '<bytes>')
        try:  # the one read; a reducible JPEG is only opened, anything else decoded in full
            image = EncodedImage.read(results, self.loader.backend_args, reducible=self.decode == 'reduced')
        except Exception as error:  # any I/O or decode failure of one file
            return self.loader.skip(img_path, error)
        height, width = image.shape
        boxes = self.sample_boxes(height, width, results.get('img_path'))  # (2, 4) original pixels
        try:
            reduced = image.reduced_crops(boxes, self.size, self._resample, self.oversample)  # None: full
        except Exception as error:  # Pillow refused the scan data and OpenCV the whole file
            return self.loader.skip(img_path, error)
        views, decode_scale = reduced if reduced is not None else (self.crop_and_resize(image.bgr, boxes), 1)
        self.loader.num_loaded += 1
        results['img'] = views
        results['img_shape'] = self.size
        results['ori_shape'] = (height, width)
        results['crop_boxes'] = boxes.astype(np.float32)  # (2, 4)
        results['decode_scale'] = decode_scale
        return results

    def __repr__(self) -> str:
        return (f'{super().__repr__()[:-1]}, decode={self.decode}, oversample={self.oversample}, '
                f'skip_bad={self.loader.skip_bad})')
