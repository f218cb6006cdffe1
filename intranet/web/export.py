"""CSV and Excel export of what a list shows; every export is audited (the audit log listens to
:data:`exported`, so this toolkit needs no import of the audit package)."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from typing import Iterable

from blinker import Namespace
from flask import Response

from ..db import db, utcnow

_signals = Namespace()
#: Sent with each export before it is committed, with ``session``, ``module``, ``name``, ``fmt`` and ``rows``.
exported = _signals.signal("exported")


def _cell(value):
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if value is None:
        return ""
    if isinstance(value, (int, Decimal, date)):
        return value
    text = str(value)
    # A leading = + - @ would run as a formula in Excel (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def export_response(name: str, columns: list, rows: Iterable[list], fmt: str, *, module: str) -> Response:
    """A download of ``rows`` under ``columns`` as ``csv`` or ``xlsx``."""
    rows = [[_cell(value) for value in row] for row in rows]
    stamp = utcnow().strftime("%Y%m%d-%H%M")
    if fmt == "xlsx":
        # openpyxl loads on the first Excel export, not at start-up.
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet(name[:31])
        sheet.append([str(c) for c in columns])
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        body, mimetype = buffer.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([str(c) for c in columns])
        writer.writerows(rows)
        body, mimetype = "\ufeff" + buffer.getvalue(), "text/csv"  # the BOM makes Excel read UTF-8
    exported.send(None, session=db.session, module=module, name=name, fmt=fmt, rows=len(rows))
    db.session.commit()
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f"attachment; filename={name}-{stamp}.{fmt}"})
