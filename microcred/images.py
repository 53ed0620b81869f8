"""Badge images and pathway diagrams: generated SVG, and content images copied in safely.

Owns the site path of each credential's badge image (``badge_image_path``), the
drawing of a distinct, accessible SVG badge for a credential without its own
image, the sanitising of SVGs supplied by content, and the pathway diagram.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from microcred.model import Credential


def badge_image_path(credential: Credential) -> str:
    """The site path of a credential's badge image: its own PNG/SVG, else the drawn SVG."""
    image = credential.badge.image if credential.badge else None
    suffix = PurePosixPath(image).suffix.lower() if image else ".svg"
    return f"/credentials/{credential.slug}/badge{suffix}"
