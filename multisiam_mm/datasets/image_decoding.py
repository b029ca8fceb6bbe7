"""One sample's image bytes: read once, checked once, decoded once, for both loading transforms.

:class:`~multisiam_mm.datasets.transforms.LoadImageOrSkip` and
:class:`~multisiam_mm.datasets.transforms.LoadAndPairCrop` each build one :class:`EncodedImage` per sample
and only pass it forward: the bytes come from the dataset (``img_bytes``) or one read through mmengine's
file backends; a truncated JPEG is refused on the bytes; the size comes from the JPEG header or the full
decode; the pixels come from OpenCV's full decode (``LoadImageFromFile``'s) or, for a JPEG whose crops
allow it, from libjpeg's scaled IDCT at 1/s (Sec. 3.2 / 4.1: the crops are resized to 224 x 224, so most
of a full-resolution 1920x1280 decode would be thrown away).
"""
import io
from typing import Optional

import cv2
import mmengine.fileio as fileio
import numpy as np
from PIL import Image

JPEG_SOI, JPEG_SOS, JPEG_EOI = b'\xff\xd8', b'\xff\xda', b'\xff\xd9'
JPEG_SCALES = (8, 4, 2)  # libjpeg's DCT scaling: 1/8, 1/4, 1/2 of each side
EXIF_ORIENTATION = 0x0112


def read_image_bytes(results: dict, backend_args: Optional[dict] = None) -> bytes:
    """The image bytes: ``img_bytes`` when the dataset provides them (popped), else the file's, read once.

    A dataset that could not read a sample's bytes says why in ``img_error`` (e.g. a null parquet cell);
    that is raised here, so the sample is skipped like a bad file, with that reason.

    Args:
        results: the sample; ``img_path``, optional ``img_bytes`` and ``img_error`` (both popped).
        backend_args: mmengine file backend arguments, e.g. for a remote store.

    Raises:
        ValueError: the dataset's ``img_error``. OSError and others: the file backend's.
    """
    error = results.pop('img_error', None)
    if error is not None:
        results.pop('img_bytes', None)
        raise ValueError(error)
    content = results.pop('img_bytes', None)
    if content is None:
        content = fileio.get(results.get('img_path', '<bytes>'), backend_args=backend_args)
    return content


def check_complete(content: bytes) -> None:
    """Refuse empty bytes and a JPEG whose end-of-image marker does not follow its last scan.

    A truncated JPEG would decode half grey (OpenCV) instead of failing, so it is caught on the bytes.

    Raises:
        ValueError: empty or truncated bytes; the message says which.
    """
    if not content:
        raise ValueError('empty file')
    # a scan after the last end-of-image marker (the search covers the file's tail only)
    if content[:2] == JPEG_SOI and content.find(JPEG_SOS, max(content.rfind(JPEG_EOI), 0)) != -1:
        raise ValueError('truncated JPEG (no end-of-image marker after the last scan)')


def imdecode_bgr(content: bytes) -> np.ndarray:
    """OpenCV's ``IMREAD_COLOR`` decode of bytes already checked by :func:`check_complete`.

    Raises:
        ValueError: bytes OpenCV cannot decode.
    """
    img = cv2.imdecode(np.frombuffer(content, np.uint8), cv2.IMREAD_COLOR)
    if img is None or img.size == 0:
        raise ValueError('not decodable by OpenCV')
    return img  # (H, W, 3) uint8 BGR


def decode_bgr(content: bytes) -> np.ndarray:
    """Decode image bytes to a 3-channel uint8 BGR array (H, W, 3), like ``LoadImageFromFile``.

    OpenCV's ``IMREAD_COLOR`` converts grayscale and palette images to 3 channels, drops an alpha
    channel and scales 16-bit samples to 8 bits (``v >> 8``). Empty and truncated bytes are refused
    (:func:`check_complete`).

    Raises:
        ValueError: empty, truncated or undecodable bytes; the message says which.
    """
    check_complete(content)
    return imdecode_bgr(content)


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


def reduced_jpeg_crops(image: Image.Image, boxes: np.ndarray, out_hw: tuple[int, int], resample: int,
                       oversample: float = 1.0) -> tuple[list[np.ndarray], int]:
    """Decode ``image`` at the coarsest DCT scale the boxes allow and resample each box to ``out_hw``.

    Args:
        image: a lazily decoded JPEG from :func:`open_reducible_jpeg`.
        boxes: ``(N, 4)`` boxes in original-image pixels.
        out_hw: ``(h, w)`` of each view.
        resample: Pillow's resampling filter (e.g. ``Image.BICUBIC``).
        oversample: least ratio of a reduced crop's side to the output side (:func:`jpeg_decode_scale`).

    Returns:
        The views, each (h, w, 3) uint8 BGR, and the reduction factor s (1 = full resolution).
    """
    out_h, out_w = out_hw
    width = image.width
    factor = jpeg_decode_scale(boxes, out_hw, oversample)
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
        view = region.resize((out_w, out_h), resample, box=inner)
        rgb = view.convert('RGB') if view.mode != 'RGB' else view
        bgr = bytearray(rgb.tobytes('raw', 'BGR'))  # BGR like LoadImageFromFile, in one pass
        views.append(np.frombuffer(bgr, np.uint8).reshape(out_h, out_w, 3))
    return views, int(round(factor))


class EncodedImage:
    """One sample's image bytes, checked once and decoded at most once.

    Construction refuses empty and truncated bytes (:func:`check_complete`). With ``reducible=True`` a JPEG
    that Pillow decodes as OpenCV does (:func:`open_reducible_jpeg`) is only opened (its header read) and
    waits for :meth:`reduced_crops`; anything else is decoded in full by OpenCV here, so that an
    undecodable file fails at construction.

    Args:
        content: the image file's bytes.
        reducible: open a suitable JPEG for reduced-scale decoding instead of decoding it in full.

    Raises:
        ValueError: empty, truncated or undecodable bytes; the message says which.
    """

    def __init__(self, content: bytes, reducible: bool = False) -> None:
        check_complete(content)
        self.content = content
        self.jpeg = open_reducible_jpeg(content) if reducible else None  # header only: not decoded
        self.bgr: Optional[np.ndarray] = None if self.jpeg is not None else imdecode_bgr(content)  # (H, W, 3)

    @classmethod
    def read(cls, results: dict, backend_args: Optional[dict] = None, reducible: bool = False) -> 'EncodedImage':
        """The sample's image: its bytes from :func:`read_image_bytes` (one read), checked and opened."""
        return cls(read_image_bytes(results, backend_args), reducible)

    @property
    def shape(self) -> tuple[int, int]:
        """``(H, W)`` of the original image, from the JPEG header or the full decode."""
        return (self.jpeg.height, self.jpeg.width) if self.jpeg is not None else self.bgr.shape[:2]

    def reduced_crops(self, boxes: np.ndarray, out_hw: tuple[int, int], resample: int,
                      oversample: float = 1.0) -> Optional[tuple[list[np.ndarray], int]]:
        """The views of ``boxes`` decoded at reduced scale (:func:`reduced_jpeg_crops`), or None where the
        image is decoded in full (``bgr``): not a reducible JPEG, or one whose scan data Pillow refused.
        OpenCV then decides: its decode is kept if it has the header's size.

        Raises:
            ValueError: Pillow refused the scan data and OpenCV cannot decode it either, or decodes
                another size than the header's.
        """
        if self.jpeg is None:
            return None
        try:
            return reduced_jpeg_crops(self.jpeg, boxes, out_hw, resample, oversample)
        except Exception as error:  # Pillow refused the scan data: let OpenCV decide
            height, width = self.shape
            full = imdecode_bgr(self.content)  # (H, W, 3)
            if full.shape[:2] != (height, width):
                raise ValueError(f'decoded size {full.shape[1]}x{full.shape[0]} differs from the '
                                 f'JPEG header {width}x{height}') from error
            self.jpeg, self.bgr = None, full
            return None
