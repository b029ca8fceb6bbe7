"""Helpers of the data tests: paths and tiny real-format images (imported as a module, not a package)."""
import os

import cv2
import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEMO_CAMVID = os.path.join(REPO, 'demo', 'camvid')
SHARED_CAMVID = os.path.join(os.path.dirname(REPO), 'shared', 'data', 'camvid')


def write_jpeg(path: str, img: np.ndarray, quality: int = 95) -> bytes:
    """Write ``img`` (H, W, 3) BGR as a JPEG file and return its bytes."""
    ok, data = cv2.imencode('.jpg', img, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    with open(path, 'wb') as handle:
        handle.write(data.tobytes())
    return data.tobytes()


def jpeg_bytes(img: np.ndarray) -> bytes:
    ok, data = cv2.imencode('.jpg', img, [cv2.IMWRITE_JPEG_QUALITY, 95])
    assert ok
    return data.tobytes()


def coordinate_image(height: int = 360, width: int = 480) -> np.ndarray:
    """(H, W, 3) uint8 image whose channel 0 is x // 2 and channel 1 is y // 2: pixels tell where they are."""
    ys, xs = np.mgrid[0:height, 0:width]
    return np.stack([xs // 2, ys // 2, np.full_like(xs, 128)], axis=-1).astype(np.uint8)
