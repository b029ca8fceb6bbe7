"""BYOL's per-view photometric operations on a batch of views, as Pillow computes them.

mmselfsup's BYOL pipeline (``imagenet_byol.py``, kept by the paper, Sec. 4.1) runs mmselfsup's
``ColorJitter`` (mmcv's ``adjust_brightness`` / ``adjust_contrast`` / ``adjust_color`` / ``adjust_hue``
with the Pillow backend), mmcv's ``RandomGrayscale``, mmselfsup's ``RandomGaussianBlur`` (Pillow's
``GaussianBlur``) and ``RandomSolarize`` on one uint8 view at a time. These functions do the same to a
batch of views, each with its own parameters, reproducing Pillow's integer arithmetic: the truncations of
``Image.blend``, the 16-bit fixed-point luma of ``convert('L')``, the uint8 HSV of ``convert('HSV')`` and
the 24-bit fixed-point extended box blur of ``gaussian_blur``. Where C evaluates in ``float`` or
``double`` the tensors use float32 or float64 alike, so the results equal Pillow's on any device (a
worker's CPU or the training GPU); tests/views/test_pillow_photometric.py compares every operation with
mmcv / Pillow on every RGB colour or on real frames.

Every image is a float tensor ``(N, 3, H, W)`` holding integers 0-255 in BGR order (what
``LoadImageFromFile`` and the pair crop give); every parameter is a tensor ``(N,)``.
"""
import torch
import torch.nn.functional as F
from torch import Tensor


def _per_image(values: Tensor) -> Tensor:
    """``(N,)`` -> ``(N, 1, 1, 1)``, to broadcast over an image batch."""
    return values.view(-1, 1, 1, 1)


def blend(base: Tensor, image: Tensor, alpha: Tensor) -> Tensor:
    """``PIL.Image.blend(base, image, alpha)``: ``uint8(clip(base + alpha (image - base), 0, 255))``.

    Pillow's ``ImagingBlend`` evaluates in C ``float`` and truncates towards zero; ImageEnhance's
    Brightness, Contrast and Color are this blend towards black, the mean grey and the pixel's grey.
    """
    alpha = _per_image(alpha.float())
    return (base + alpha * (image - base)).clamp_(0, 255).trunc_()


def luma(images: Tensor) -> Tensor:
    """Pillow's ``convert('L')`` of RGB: ``(19595 R + 38470 G + 7471 B + 2^15) >> 16``, ``(N, 1, H, W)``.

    Every partial sum is an integer below 2^24, so float32 holds it exactly.
    """
    blue, green, red = images[:, 0:1], images[:, 1:2], images[:, 2:3]
    return torch.floor((red * 19595 + green * 38470 + blue * 7471 + 32768) / 65536)


def adjust_brightness(images: Tensor, factor: Tensor) -> Tensor:
    """mmcv's ``adjust_brightness(backend='pillow')``: a blend with black."""
    return blend(torch.zeros_like(images), images, factor)


def adjust_contrast(images: Tensor, factor: Tensor) -> Tensor:
    """mmcv's ``adjust_contrast(backend='pillow')``: a blend with the image's mean grey level.

    The mean is ImageStat's, of the luma, rounded half up (``int(mean + 0.5)``): the sum in float64 (exact
    for 8-bit lumas) divided by the pixel count, as Pillow divides. Not ``Tensor.mean``: on CUDA it
    multiplies by 1/N, and a mean of exactly k + 0.5 (224 x 224, half the pixels at 100, half at 101)
    becomes 100.49999999999999 and rounds down.
    """
    gray = luma(images).double()
    mean = torch.floor(gray.sum(dim=(1, 2, 3)) / gray[0].numel() + 0.5).float()  # (N,)
    return blend(_per_image(mean).expand_as(images), images, factor)


def adjust_saturation(images: Tensor, factor: Tensor) -> Tensor:
    """mmcv's ``adjust_color(backend='pillow')`` (ImageEnhance.Color): a blend with each pixel's grey."""
    return blend(luma(images).expand_as(images), images, factor)


def _rgb_to_hsv(images: Tensor) -> tuple[Tensor, Tensor, Tensor]:
    """Pillow's ``rgb2hsv_row``: uint8 hue, saturation and value, each ``(N, H, W)`` float.

    ``h``, ``s`` and the channel ratios are C ``float``; ``2.0 + rc - bc`` and ``h / 6.0 + 1.0`` are
    ``double`` (the literals are), stored back into a ``float``; the products with 255.0 are ``double``.
    """
    blue, green, red = images[:, 0], images[:, 1], images[:, 2]
    maxc = torch.maximum(red, torch.maximum(green, blue))
    minc = torch.minimum(red, torch.minimum(green, blue))
    chroma = maxc - minc
    safe = torch.where(chroma > 0, chroma, torch.ones_like(chroma))  # grey pixels: h = s = 0 below
    saturation = chroma / torch.where(maxc > 0, maxc, torch.ones_like(maxc))
    rc, gc, bc = ((maxc - channel) / safe for channel in (red, green, blue))
    hue = torch.where(red == maxc, (bc - gc).double(),
                      torch.where(green == maxc, 2.0 + rc.double() - bc.double(),
                                  4.0 + gc.double() - rc.double())).float()
    hue = torch.fmod(hue.double() / 6.0 + 1.0, 1.0).float()
    grey = chroma == 0
    hue = torch.where(grey, 0., torch.trunc(hue.double() * 255.0).clamp(0, 255).float())
    saturation = torch.where(grey, 0., torch.trunc(saturation.double() * 255.0).clamp(0, 255).float())
    return hue, saturation, maxc


def _round_half_away(values: Tensor) -> Tensor:
    """C's ``round`` for non-negative values (torch.round rounds half to even)."""
    return torch.floor(values + 0.5)


def _hsv_to_rgb(hue: Tensor, saturation: Tensor, value: Tensor) -> Tensor:
    """Pillow's ``hsv2rgb`` of uint8 ``(N, H, W)`` planes, back to a BGR batch ``(N, 3, H, W)``."""
    sector = torch.floor(hue.double() * 6.0 / 255.0)  # 0-6
    frac = (hue.double() * 6.0 / 255.0 - sector).float()  # C float f
    fs = (saturation.double() / 255.0).float()  # C float fs
    v = value.double()
    p = _round_half_away(v * (1.0 - fs.double())).clamp(0, 255)
    q = _round_half_away(v * (1.0 - (fs * frac).double())).clamp(0, 255)  # fs * f: a float product
    t = _round_half_away(v * (1.0 - fs.double() * (1.0 - frac.double()))).clamp(0, 255)
    sector = sector.long() % 6
    # (R, G, B) per sector, as Pillow's switch
    table = [(v, t, p), (q, v, p), (p, v, t), (p, q, v), (t, p, v), (v, p, q)]
    red, green, blue = (sum(torch.where(sector == i, rgb[c], 0.) for i, rgb in enumerate(table)) for c in range(3))
    rgb = torch.stack([blue, green, red], dim=1).float()  # BGR
    return torch.where((saturation == 0).unsqueeze(1), value.unsqueeze(1), rgb)  # grey: (v, v, v)


def adjust_hue(images: Tensor, shift: Tensor) -> Tensor:
    """mmcv's ``adjust_hue(backend='pillow')``: to Pillow's uint8 HSV, hue + ``shift`` modulo 256, back.

    ``shift`` is the uint8 shift mmcv adds, ``np.uint8(hue_factor * 255)`` as numpy 1 computes it
    (``multisiam_mm.compat.hue_shift``). The round trip through uint8 HSV is lossy even for a zero shift,
    as it is in Pillow.
    """
    hue, saturation, value = _rgb_to_hsv(images)
    hue = torch.remainder(hue + shift.float().view(-1, 1, 1), 256)
    return _hsv_to_rgb(hue, saturation, value)


def grayscale(images: Tensor, weights: Tensor) -> Tensor:
    """mmcv's ``RandomGrayscale(keep_channels=True)``: ``uint8(sum_c w_c x_c)`` in float64, on 3 channels.

    ``weights`` ``(N, 3)`` are the normalized channel weights, in the images' (BGR) channel order.
    """
    weights = weights.double().view(-1, 3, 1, 1)
    gray = images.double() * weights
    gray = torch.trunc((gray[:, 0:1] + gray[:, 1:2]) + gray[:, 2:3]).float()  # numpy's sum order
    return gray.expand_as(images).contiguous()


def solarize(images: Tensor, threshold: Tensor) -> Tensor:
    """mmcv's ``solarize``: values at or above ``threshold`` become ``255 - value``."""
    return torch.where(images < _per_image(threshold.float()), images, 255 - images)


def box_blur_weights(sigma: Tensor) -> tuple[Tensor, Tensor, Tensor]:
    """Pillow's extended box of one pass of a 3-pass Gaussian of radius ``sigma``.

    ``_gaussian_blur_radius`` (Gwosdek et al. 2011, in C ``float``) gives the fractional box radius
    R; ``ImagingHorizontalBoxBlur`` its integer part r, the inner weight ``ww = uint32(2^24 / (2R + 1))``
    and the weight of the two far pixels ``fw = (2^24 - (2r + 1) ww) // 2``. Returns (r, ww, fw), each
    ``(N,)`` int64.
    """
    sigma = sigma.float()
    sigma2 = sigma * sigma / 3  # float
    length = torch.sqrt(12.0 * sigma2.double() + 1.0).float()
    low = torch.floor((length.double() - 1.0) / 2.0).float()
    frac = (2 * low + 1) * (low * (low + 1) - 3 * sigma2)  # float
    frac = frac / (6 * (sigma2 - (low + 1) * (low + 1)))
    radius_f = low + frac
    radius = radius_f.long()
    inner = torch.trunc(16777216.0 / (radius_f * 2 + 1)).long()
    far = (16777216 - (radius * 2 + 1) * inner) // 2
    return radius, inner, far


def _box_blur_pass(images: Tensor, dim: int, taps_high: Tensor, taps_low: Tensor) -> Tensor:
    """One pass of ``ImagingLineBoxBlur`` along ``dim``: edges replicated, 24-bit fixed point, rounded.

    Pillow computes ``(sum_k w_k x_k + 2^23) >> 24`` with integer weights ``w_k = 4096 h_k + l_k``
    (``taps_high`` h and ``taps_low`` l, ``(N, 2K + 1)`` per image at offsets -K..K). With ``A = sum h_k x_k``
    and ``B = sum l_k x_k`` that is ``floor((A + 2048 + floor(B / 4096)) / 4096)``; for K <= 7 every term
    is an integer below 2^24, so float32 computes it exactly (wider reaches run in float64).
    """
    size, reach = images.shape[dim], (taps_high.shape[1] - 1) // 2
    padded = F.pad(images, (reach, reach, 0, 0) if dim == 3 else (0, 0, reach, reach), mode='replicate')
    high, low = torch.zeros_like(images), torch.zeros_like(images)
    for k in range(taps_high.shape[1]):
        shifted = padded.narrow(dim, k, size)
        high.addcmul_(_per_image(taps_high[:, k]), shifted)
        low.addcmul_(_per_image(taps_low[:, k]), shifted)
    return torch.floor((high + 2048 + torch.floor(low / 4096)) / 4096)


def gaussian_blur(images: Tensor, sigma: Tensor, passes: int = 3) -> Tensor:
    """Pillow's ``ImageFilter.GaussianBlur(radius=sigma)`` (mmselfsup's ``RandomGaussianBlur``).

    Pillow approximates the Gaussian by ``passes`` extended box blurs along the rows, then as many along
    the columns, rounding to uint8 after each; so does this, in exact integer arithmetic.
    """
    radius, inner, far = box_blur_weights(sigma)
    reach = int(radius.max()) + 1
    offsets = torch.arange(-reach, reach + 1, device=images.device).abs()  # (2K + 1,)
    taps = torch.where(offsets <= radius[:, None], inner[:, None],
                       torch.where(offsets == radius[:, None] + 1, far[:, None], 0))  # (N, 2K + 1) int64
    dtype = torch.float32 if reach <= 7 else torch.float64
    high, low = (taps // 4096).to(dtype), (taps % 4096).to(dtype)
    out = images.to(dtype)
    for dim in (3, 2):  # all passes along the rows, then along the columns
        for _ in range(passes):
            out = _box_blur_pass(out, dim, high, low)
    return out.float()
