"""The signature drawn on the tablet: a PNG data URL, checked before it is stored.

A signature is kept as drawn (a small PNG) so that an auditor sees what the operator signed; it is
refused above MAX_SIGNATURE_BYTES so that one completion cannot bloat the database.
"""

from __future__ import annotations

import base64
import binascii

PNG_PREFIX = "data:image/png;base64,"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_SIGNATURE_BYTES = 200 * 1024


class SignatureError(ValueError):
    """A signature that cannot be stored; the message says why, in the floor's words."""


def check_signature(data_url: str | None) -> str | None:
    """The signature as it will be stored (None when none was drawn), or SignatureError."""
    if data_url is None or data_url == "":
        return None
    if not isinstance(data_url, str) or not data_url.startswith(PNG_PREFIX):
        raise SignatureError("the signature must be a drawn PNG image")
    if len(data_url.encode()) > MAX_SIGNATURE_BYTES:
        raise SignatureError(f"the signature is too large ({len(data_url.encode()) // 1024} kB; at most "
                             f"{MAX_SIGNATURE_BYTES // 1024} kB): clear it and sign again")
    try:
        image = base64.b64decode(data_url[len(PNG_PREFIX):], validate=True)
    except (binascii.Error, ValueError):
        raise SignatureError("the signature image is damaged: clear it and sign again") from None
    if not image.startswith(PNG_MAGIC):
        raise SignatureError("the signature must be a drawn PNG image")
    return data_url
