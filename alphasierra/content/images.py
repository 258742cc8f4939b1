"""An uploaded image, checked by what it is, then rebuilt from its pixels.

Neither the file's name nor the type the browser declared is trusted: Pillow
must recognise the bytes as a JPEG, a PNG or a WebP, and decode them whole.
What is stored is then a new file encoded from the decoded pixels, with the
camera's orientation applied and nothing else kept: no EXIF (a phone's GPS
position, its serial number), no text chunk, no colour profile (converted to
sRGB first), no byte appended after the image's end. A file that is at once
an image and a script or a page (a polyglot) comes out as an image only.
"""

import io
import warnings
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageOps

from alphasierra.content.models import Image as StoredImage

MAX_BYTES = 5 * 1024 * 1024
MAX_SIDE = 6_000

# Pillow's names of the formats accepted, and what each is stored as. MPO is
# how Pillow reads the JPEG of many phones (a photo and its previews): its
# first picture is kept.
FORMATS = {
    "JPEG": StoredImage.Format.JPEG,
    "MPO": StoredImage.Format.JPEG,
    "PNG": StoredImage.Format.PNG,
    "WEBP": StoredImage.Format.WEBP,
}
EXTENSIONS = {StoredImage.Format.JPEG: "jpg", StoredImage.Format.PNG: "png", StoredImage.Format.WEBP: "webp"}
# The plug-ins Pillow may try: a GIF, an SVG, a PDF or a BMP is not even looked at.
PLUGINS = ["JPEG", "PNG", "WEBP"]

NOT_AN_IMAGE = _("Ce fichier n'est pas une image JPEG, PNG ou WebP.")
TOO_HEAVY = _("L'image dépasse 5 Mo.")
TOO_LARGE = _("L'image dépasse 6 000 pixels de côté.")


@dataclass(frozen=True)
class CheckedImage:
    """The image to store: its new bytes, and what they are."""

    data: bytes
    format: StoredImage.Format
    width: int
    height: int

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.format]


def image_checked(upload: IO[bytes]) -> CheckedImage:
    """The image in ``upload``, re-encoded; a ``ValidationError`` with the
    French reason when it is not an image the portal takes."""
    # Read one byte more than allowed: the size the client declared is not trusted either.
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError(TOO_HEAVY, code="too_heavy")
    if not data:
        raise ValidationError(NOT_AN_IMAGE, code="not_an_image")
    # Opening reads the header only: the size is refused there, before any
    # pixel is decoded. Pillow warns past MAX_IMAGE_PIXELS and raises past
    # twice that; the warning is made an error too, though the side limit
    # below is already tighter.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with _opened(data) as probe:
                kind = FORMATS.get(str(probe.format))
                width, height = probe.size
                if kind is None:
                    raise ValidationError(NOT_AN_IMAGE, code="not_an_image")
                if width > MAX_SIDE or height > MAX_SIDE:
                    raise ValidationError(TOO_LARGE, code="too_large")
                # The structure's checksums (PNG's CRCs); it leaves the image unusable.
                probe.verify()
            with _opened(data) as image:
                # Every pixel decoded: a truncated or corrupt file fails here, not in a visitor's browser.
                image.load()
                pixels = _pixels(image)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ValidationError(TOO_LARGE, code="too_large") from None
        except ValidationError:
            raise
        except Exception:
            # A hostile file makes a decoder fail in many ways (OSError,
            # SyntaxError, ValueError, struct.error…): each is a refusal.
            raise ValidationError(NOT_AN_IMAGE, code="not_an_image") from None
    return CheckedImage(data=_encoded(pixels, kind), format=kind, width=pixels.width, height=pixels.height)


def _opened(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data), formats=PLUGINS)


def _pixels(image: Image.Image) -> Image.Image:
    """A new image holding only the pixels: upright, in sRGB, with no metadata."""
    upright = ImageOps.exif_transpose(image)
    if upright.mode.startswith("I"):
        # 16-bit grey (some PNGs): scaled down to 8 bits, not clipped to white.
        upright = upright.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    srgb = _in_srgb(upright, image.info.get("icc_profile"))
    has_alpha = srgb.mode in ("RGBA", "LA", "PA") or "transparency" in srgb.info
    mode = "RGBA" if has_alpha else ("L" if srgb.mode in ("1", "L") else "RGB")
    converted = srgb.convert(mode)
    # Pasted into a new image: the pixels only. The ``info`` dictionary
    # (EXIF, XMP, text chunks, ICC profile, comments), which some encoders
    # write back by default, does not follow.
    clean = Image.new(mode, converted.size)
    clean.paste(converted)
    return clean


def _in_srgb(image: Image.Image, profile: bytes | None) -> Image.Image:
    """The colours as an sRGB screen shows them, when the file carried another
    profile (a camera's Adobe RGB, a phone's Display P3); a profile that
    cannot be read is dropped as it is."""
    if not profile or image.mode not in ("RGB", "RGBA"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        converted = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode=image.mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image
    return converted if converted is not None else image


def _encoded(pixels: Image.Image, kind: StoredImage.Format) -> bytes:
    out = io.BytesIO()
    if kind == StoredImage.Format.JPEG:
        # JPEG has no transparency: a transparent pixel becomes white, not black.
        if pixels.mode == "RGBA":
            flat = Image.new("RGB", pixels.size, "white")
            flat.paste(pixels, mask=pixels.getchannel("A"))
            pixels = flat
        pixels.save(out, "JPEG", quality=85, optimize=True, progressive=True)
    elif kind == StoredImage.Format.PNG:
        pixels.save(out, "PNG", optimize=True)
    else:
        pixels.save(out, "WEBP", quality=85, method=4)
    return out.getvalue()
