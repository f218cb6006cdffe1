"""Error pages: every failure answers with a page people can read, never a stack trace."""
from __future__ import annotations

import logging

from flask import flash, redirect, request, url_for
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ..db import db
from ..errors import N_, DomainError
from ..extensions import htmx, login_manager
from ..i18n import gettext as _
from .rendering import render

log = logging.getLogger(__name__)

MESSAGES = {
    400: N_("The request could not be understood."),
    403: N_("You do not have permission to open this page."),
    404: N_("There is nothing at this address."),
    405: N_("This address does not accept that kind of request."),
    409: N_("The record has changed since you opened it."),
    413: N_("The upload is too large."),
    422: N_("The input could not be accepted."),
    429: N_("Too many attempts. Wait a minute and try again."),
    500: N_("Something went wrong on our side. The error has been logged."),
}


def error_page(status: int, message: str, title: str | None = None):
    return render("errors/page.html", "errors/_message.html", status=status,
                  code=status, title=title or _("Error %(code)s", code=status), message=message)


def module_off(module):
    return error_page(404, _("The module “%(title)s” is switched off. Ask IT if you need it.",
                             title=module.info.title), title=_("Module switched off"))


def init_app(app) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error):
        db.session.rollback()
        return error_page(400, _("The form had expired or was sent from elsewhere. Reload the page and try again."))

    @app.errorhandler(DomainError)
    def _domain(error):
        db.session.rollback()
        return error_page(error.status, error.translate(_))

    @app.errorhandler(HTTPException)
    def _http(error):
        db.session.rollback()
        status = error.code or 500
        return error_page(status, _(MESSAGES.get(status, error.description or "")))

    @app.errorhandler(Exception)
    def _unexpected(error):
        db.session.rollback()
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_page(500, _(MESSAGES[500]))

    @login_manager.unauthorized_handler
    def _unauthorized():
        target = url_for("auth.login", next=request.full_path if request.method == "GET" else None)
        if htmx:
            response = app.response_class("", 401)
            response.headers["HX-Redirect"] = target
            return response
        if request.method != "GET":
            flash(_("Please sign in again."), "warning")
        return redirect(target)
