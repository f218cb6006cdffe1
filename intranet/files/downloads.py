"""Sending a stored file back: the one download response of the core and every module."""
from __future__ import annotations

from urllib.parse import quote

from flask import Response

from .. import audit
from ..db import db
from .models import StoredFile
from .services import content_type_of

#: How each image type a browser may show inline begins; anything else is downloaded.
IMAGE_SIGNATURES = {"image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8\xff"}
#: Should a browser ever render a download, it runs nothing and loads nothing.
DOWNLOAD_POLICY = "default-src 'none'; frame-ancestors 'none'; sandbox"


def download_response(stored: StoredFile, inline: bool = False, *, module: str = "core") -> Response:
    """``stored`` as a download: typed by its extension, never by the uploader's claim
    (unknown: application/octet-stream), as an attachment (``inline`` only for a PNG or
    JPEG whose bytes say so), not sniffed, not cached. The download is audited and
    committed, so views that call this are marked ``@writes``.
    """
    content_type = content_type_of(stored.name)
    data = stored.data
    signature = IMAGE_SIGNATURES.get(content_type)
    disposition = "inline" if inline and signature is not None and data.startswith(signature) else "attachment"
    # content_type, not mimetype: Werkzeug would add "charset=utf-8" to text files it never read.
    response = Response(data, content_type=content_type)
    response.headers["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(stored.name, safe='')}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = DOWNLOAD_POLICY
    audit.record(db.session, "download", module=module, entity="core_file", entity_id=stored.id,
                 details={"name": stored.name})
    db.session.commit()
    return response
