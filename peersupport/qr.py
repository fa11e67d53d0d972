"""QR codes as inline SVG: printed flyers and the in-room check-out survey use them."""

from __future__ import annotations

import qrcode
import qrcode.image.svg
from django.utils.safestring import SafeString, mark_safe


def qr_svg(url: str, *, css_class: str) -> SafeString:
    """An inline SVG of `url` (no style attributes, so the CSP allows it).

    Only ever called with our own absolute URLs, which is why marking it safe is sound;
    the picture is decorative for screen readers (the page always prints the link too).
    """
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    svg = image.to_string(encoding="unicode")
    svg = svg.replace("<svg ", f'<svg class="{css_class}" aria-hidden="true" ', 1)
    # Built by qrcode from our own URL, never from input: safe to mark safe.
    return mark_safe(svg)  # noqa: S308 # nosec B308 B703
