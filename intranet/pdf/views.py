"""Printing, checking a printout, the signature image and the printing admin page."""
from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, abort, current_app, flash, redirect, request, url_for
from flask_login import current_user

from ..db import db, utcnow
from ..errors import N_, DomainError, Invalid
from ..files import FileRules, StoredFile, download_response, read_image, save_upload
from ..i18n import gettext as _
from ..settings import SettingValue
from ..web import employee, enabled_modules, permission_required, render, settings, signed_in_user, writes
from ..web.context import forget_snapshot, state
from ..web.errors import error_page
from .fonts import FontMissing, font_problem
from .printing import print_items, seal
from .services import PrintItem, display_code, normalise_code
from .services import verify as check_printout
from .signing import SUBJECT_ATTRIBUTES

bp = Blueprint("pdf", __name__, url_prefix="")
MAX_BATCH = 200


def _ids() -> list[str]:
    values = request.args.getlist("ids") or request.args.get("id", "").split(",")
    return [v for v in dict.fromkeys(v.strip() for v in values) if v.isdigit() and len(v) < 12][:MAX_BATCH]


def _pdf_response(pdf: bytes, name: str) -> Response:
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f"inline; filename*=UTF-8''{quote(name)}.pdf", "Cache-Control": "no-store"})


@bp.get("/print/<template_key>/<document_id>")
@employee
@writes
def print_one(template_key: str, document_id: str):
    return _print(template_key, [document_id])


@bp.get("/print/<template_key>")
@employee
@writes
def print_batch(template_key: str):
    ids = _ids()
    if not ids:
        abort(404)
    return _print(template_key, ids)


def _print(template_key: str, ids: list[str]):
    template = state().pdf_templates.get(template_key)
    if template is None or (template.module != "core" and template.module not in state().registry.modules):
        abort(404)
    if template.module != "core" and template.module not in enabled_modules():
        abort(404)
    documents = template.load(db.session, ids)
    if len(documents) != len(ids):
        abort(404)
    if not all(template.can_view(current_user, documents[i]) for i in ids):
        abort(403)
    try:
        pdf, printouts = print_items([PrintItem(template, documents[i]) for i in ids], signed_in_user(), utcnow())
    except FontMissing as missing:
        db.session.rollback()
        return error_page(503, str(missing), title=_("Printing is not set up"))
    db.session.commit()
    name = printouts[0].document_number if len(printouts) == 1 else f"{template_key}-{len(printouts)}"
    return _pdf_response(pdf, name)


@bp.get("/verify/")
@bp.get("/verify/<code>")
@employee
def verify(code: str | None = None):
    """Does a printout still match the record? Any employee who reads the QR code can ask."""
    code = normalise_code(code or request.args.get("code", ""))
    verdict = check_printout(db.session, code, state().pdf_templates) if code else None
    return render("pdf/verify.html", verdict=verdict, code=display_code(code) if code else "",
                  asked=bool(code), status=404 if code and verdict is None else 200)


@bp.route("/me/signature", methods=["GET", "POST"])
@employee
def signature():
    """Upload the image of one's handwritten signature (printed in approval trails)."""
    user = current_user._get_current_object()
    error = None
    if request.method == "POST":
        if request.form.get("remove"):
            user.signature_file_id = None
            db.session.commit()
            flash(_("Your signature image was removed."), "success")
            return redirect(url_for("pdf.signature"))
        upload = request.files.get("image")
        limit = settings()["core.signature_max_kb"] * 1024
        try:
            if upload is None or not upload.filename:
                raise Invalid(N_("Choose a PNG or JPEG file."), field="image")
            data = upload.read(limit + 1)
            read_image(data, field="image", max_bytes=limit)
            stored = save_upload(db.session, filename=upload.filename, data=data, created_by_id=user.id,
                                 rules=FileRules(max_bytes=limit, extensions=("png", "jpg", "jpeg")), field="image")
        except DomainError as problem:
            db.session.rollback()
            error = problem.translate(_)
        else:
            user.signature_file_id = stored.id
            db.session.commit()
            flash(_("Your signature image was saved."), "success")
            return redirect(url_for("pdf.signature"))
    return render("pdf/signature.html", error=error, status=422 if error else 200)


@bp.get("/me/signature/image")
@employee
@writes
def signature_image():
    stored = db.session.get(StoredFile, current_user.signature_file_id) if current_user.signature_file_id else None
    if stored is None:
        abort(404)
    return download_response(stored, inline=True)


@bp.route("/admin/printing", methods=["GET", "POST"])
@permission_required("core.settings.manage")
def printing():
    """The printing set-up: font, company logo and the digital signature certificate."""
    error = None
    if request.method == "POST":
        upload = request.files.get("logo")
        try:
            if request.form.get("remove"):
                file_id = 0
            else:
                if upload is None or not upload.filename:
                    raise Invalid(N_("Choose a PNG or JPEG file."), field="logo")
                data = upload.read(2 * 1024 * 1024 + 1)
                read_image(data, field="logo", max_bytes=2 * 1024 * 1024)
                file_id = save_upload(db.session, filename=upload.filename, data=data, created_by_id=current_user.id,
                                      rules=FileRules(max_bytes=2 * 1024 * 1024, extensions=("png", "jpg", "jpeg")),
                                      field="logo").id
        except DomainError as problem:
            db.session.rollback()
            error = problem.translate(_)
        else:
            row = db.session.get(SettingValue, "core.company_logo") or SettingValue(key="core.company_logo")
            row.value, row.updated_by_id = file_id, current_user.id
            db.session.add(row)
            db.session.commit()
            forget_snapshot()
            flash(_("The logo was saved."), "success")
            return redirect(url_for("pdf.printing"))
    return render("pdf/printing.html", font=current_app.config["PDF_FONT_PATH"],
                  font_problem=font_problem(current_app.config["PDF_FONT_PATH"]), seal=seal().status(),
                  subject_attributes=SUBJECT_ATTRIBUTES,
                  logo=settings()["core.company_logo"], error=error, status=422 if error else 200)


@bp.get("/admin/printing/logo")
@permission_required("core.settings.manage")
@writes
def logo():
    stored = db.session.get(StoredFile, settings()["core.company_logo"]) if settings()["core.company_logo"] else None
    if stored is None:
        abort(404)
    return download_response(stored, inline=True)
