"""Loading and the IoU-constrained pair crop in one step, decoding a JPEG only as finely as its crops need.

Sec. 3.2 / 4.1 crop two views and resize them to 224 x 224. On a 1920x1280 street frame the crops
are typically 3-6x larger than the output, so most of a full-resolution decode is thrown away by the
resize. The pair is sampled from the image size alone (the JPEG header), then the JPEG is decoded
with libjpeg's scaled IDCT at the coarsest scale 1/s that still leaves every crop at least the
output resolution, and each box, divided by s, is resampled straight to the output size.
"""
import io
from typing import Optional

import numpy as np
from mmcv.image.geometric import pillow_interp_codes
from PIL import Image

from ...registry import TRANSFORMS

from .iou_constrained_pair_crop import IoUConstrainedPairCrop
from .load_image_or_skip import JPEG_SOI, LoadImageOrSkip, check_complete, decode_bgr

DECODES = ('reduced', 'full')
JPEG_SCALES = (8, 4, 2)  # libjpeg's DCT scaling: 1/8, 1/4, 1/2 of each side
EXIF_ORIENTATION = 0x0112


def jpeg_decode_scale(boxes: np.ndarray, out_hw: tuple[int, int], oversample: float = 1.0) -> int:
    """The largest s in {1, 2, 4, 8} at which every box, shrunk by s, keeps ``oversample`` x the output
    pixels along both axes.

    Args:
        boxes: ``(N, 4)`` crop boxes ``(x1, y1, x2, y2)`` in original-image pixels.
        out_hw: ``(h, w)`` each crop is resized to.
        oversample: the least ratio of a reduced crop's side to the output side, >= 1.

    Returns:
        The reduction factor s (1 decodes at full resolution).
    """
    out_h, out_w = out_hw
    widths = boxes[:, 2] - boxes[:, 0]  # (N,)
    heights = boxes[:, 3] - boxes[:, 1]
    room = min(float((widths / out_w).min()), float((heights / out_h).min())) / oversample
    return next((s for s in JPEG_SCALES if room >= s), 1)


def open_reducible_jpeg(content: bytes) -> Optional[Image.Image]:
    """A lazily decoded Pillow image if ``content`` is a JPEG that Pillow decodes as OpenCV does, else None.

    That is a baseline or progressive JPEG in RGB (YCbCr) or grayscale with no EXIF rotation: both
    libraries then run libjpeg(-turbo) with the same defaults (checked bit for bit in
    ``tests/datasets/test_load_and_pair_crop.py``). CMYK JPEGs, rotated ones (OpenCV applies the EXIF
    orientation) and other formats return None and take the full OpenCV decode. Only the header is
    read here; nothing is decoded.
    """
    if content[:2] != JPEG_SOI:
        return None
    try:
        image = Image.open(io.BytesIO(content))
        if image.format != 'JPEG' or image.mode not in ('RGB', 'L'):
            return None
        if image.getexif().get(EXIF_ORIENTATION, 1) != 1:
            return None
    except Exception:  # an unreadable header: the full decode path reports the error
        return None
    return image


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

    def reduced_crops(self, image: Image.Image, boxes: np.ndarray) -> tuple[list[np.ndarray], int]:
        """Decode ``image`` at the coarsest scale the boxes allow and resample each box to ``size``.

        Args:
            image: a lazily decoded JPEG from :func:`open_reducible_jpeg`.
            boxes: ``(2, 4)`` boxes in original-image pixels.

        Returns:
            The views, each (size_h, size_w, 3) uint8 BGR, and the reduction factor s.
        """
        out_h, out_w = self.size
        width = image.width
        factor = jpeg_decode_scale(boxes, self.size, self.oversample)
        if factor > 1:
            drafted = image.draft(image.mode, (image.width // factor, image.height // factor))
            # the original frame in reduced pixels, (0, 0, W / s, H / s); None: Pillow will not reduce
            factor = 1 if drafted is None else width / drafted[1][2]
        views = []
        for box in boxes:
            reduced = box / factor  # (4,) fractional reduced pixels
            # cut the whole reduced pixels the box touches, then resample exactly the box inside them:
            # the filter sees no pixel outside the crop, as when BYOL resizes a cut-out crop (s = 1:
            # exactly BYOL's crop and resize)
            cut = np.concatenate([np.floor(reduced[:2]), np.ceil(reduced[2:])])
            cut = np.minimum(cut, [image.width, image.height] * 2).astype(int)  # (4,)
            region = image.crop(tuple(cut))  # decodes the JPEG once, on first use
            inner = tuple(float(v) for v in reduced - np.tile(cut[:2], 2))
            view = region.resize((out_w, out_h), self._resample, box=inner)
            rgb = view.convert('RGB') if view.mode != 'RGB' else view
            bgr = bytearray(rgb.tobytes('raw', 'BGR'))  # BGR like LoadImageFromFile, in one pass
            views.append(np.frombuffer(bgr, np.uint8).reshape(out_h, out_w, 3))
        return views, int(round(factor))

    def transform(self, results: dict) -> Optional[dict]:
        img_path = results.get('img_path', '<bytes>')
        try:
            content = self.loader.read(results)
            check_complete(content)
            jpeg = open_reducible_jpeg(content) if self.decode == 'reduced' else None
            full = decode_bgr(content) if jpeg is None else None  # (H, W, 3) BGR
        except Exception as error:  # any I/O or decode failure of one file
            return self.loader.skip(img_path, error)
        height, width = full.shape[:2] if full is not None else (jpeg.height, jpeg.width)
        boxes = self.sample_boxes(height, width, results.get('img_path'))  # (2, 4) original pixels
        decode_scale = 1
        if full is None:
            try:
                views, decode_scale = self.reduced_crops(jpeg, boxes)
            except Exception as error:  # Pillow refused the scan data: let OpenCV decide, or skip
                try:
                    full = decode_bgr(content)
                    if full.shape[:2] != (height, width):
                        raise ValueError(f'decoded size {full.shape[1]}x{full.shape[0]} differs from the '
                                         f'JPEG header {width}x{height}') from error
                except Exception as fallback_error:
                    return self.loader.skip(img_path, fallback_error)
        if full is not None:
            views = self.crop_and_resize(full, boxes)
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
