"""Saving uploads with size and type limits."""
from __future__ import annotations

import hashlib
import io
import mimetypes
from dataclasses import dataclass
from pathlib import PurePath

from sqlalchemy.orm import Session

from ..errors import N_, Invalid
from .models import StoredFile


@dataclass(frozen=True)
class FileRules:
    max_bytes: int
    extensions: tuple[str, ...]  # lower case, without the dot

    @classmethod
    def attachments(cls, settings) -> "FileRules":
        return cls(max_bytes=settings["core.attachment_max_kb"] * 1024,
                   extensions=tuple(e.lower().lstrip(".") for e in settings["core.attachment_types"]))


def _clean_name(filename: str) -> str:
    name = PurePath((filename or "").replace("\\", "/")).name.strip()
    return "".join(ch for ch in name if ch.isprintable())[:200] or "file"


def content_type_of(name: str) -> str:
    """A stored file's type, from its (accepted) extension: never what the uploader's browser
    claimed, which anyone can set to text/html."""
    return mimetypes.guess_type(name, strict=True)[0] or "application/octet-stream"


def save_upload(session: Session, *, filename: str, data: bytes, rules: FileRules,
                created_by_id: int | None, field: str = "file") -> StoredFile:
    """Check an upload against the rules and store it; raises Invalid with the reason.

    The type stored is the one of the file's extension (:func:`content_type_of`)."""
    name = _clean_name(filename)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if not data:
        raise Invalid(N_("The file is empty."), field=field)
    if len(data) > rules.max_bytes:
        raise Invalid(N_("The file is larger than %(limit)s KB."), field=field, limit=rules.max_bytes // 1024)
    if extension not in rules.extensions:
        raise Invalid(N_("Files of type .%(ext)s are not accepted (allowed: %(allowed)s)."), field=field,
                      ext=extension or "?", allowed=", ".join(rules.extensions))
    stored = StoredFile(name=name, size=len(data), data=data, created_by_id=created_by_id,
                        sha256=hashlib.sha256(data).hexdigest(),
                        content_type=content_type_of(name))
    session.add(stored)
    session.flush()
    return stored


IMAGE_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}


def read_image(data: bytes, *, field: str, max_bytes: int, max_pixels: int = 4_000_000) -> str:
    """Check that bytes are a PNG or JPEG image within limits; return its content type."""
    # Pillow loads on the first image checked, not at start-up.
    from PIL import Image, UnidentifiedImageError

    if not data:
        raise Invalid(N_("The file is empty."), field=field)
    if len(data) > max_bytes:
        raise Invalid(N_("The file is larger than %(limit)s KB."), field=field, limit=max_bytes // 1024)
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise Invalid(N_("The file is not a PNG or JPEG image."), field=field) from None
    if kind not in IMAGE_FORMATS:
        raise Invalid(N_("The file is not a PNG or JPEG image."), field=field)
    if width * height > max_pixels:
        raise Invalid(N_("The image is too large (at most %(limit)s pixels)."), field=field, limit=max_pixels)
    return IMAGE_FORMATS[kind]

