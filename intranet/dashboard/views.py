"""Pages every employee uses: dashboard, global search, language, navigation counts."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, redirect, request, session
from flask_login import current_user
from sqlalchemy import text

from ..app import LANGUAGES
from ..db import db
from ..web import employee, enabled_hooks, public, render, safe_next, signed_in_user

bp = Blueprint("dashboard", __name__, url_prefix="")


def _widgets():
    groups = enabled_hooks().intranet_dashboard_widgets(user=signed_in_user())
    return sorted((w for group in groups for w in group or ()), key=lambda w: (w.order, w.key))


@bp.get("/")
@employee
def dashboard():
    """The dashboard's frame; each module's widget then loads on its own, so a slow or
    broken module neither holds up nor breaks the page."""
    return render("dashboard/dashboard.html", widgets=_widgets())


@bp.get("/widgets/<key>")
@employee
def widget(key: str):
    """One dashboard widget: the card for htmx, a page of its own otherwise."""
    found = next((w for w in _widgets() if w.key == key), None)
    if found is None:
        abort(404)
    return render("dashboard/widget.html", "dashboard/_widget.html", widget=found, ctx=found.render())


@bp.get("/search")
@employee
def search():
    query = (request.args.get("q") or "").strip()[:100]
    groups = []
    if len(query) >= 2:
        results = [r for group in enabled_hooks().intranet_search(query=query, user=signed_in_user(), limit=10)
                   for r in group or ()]
        by_kind: dict[str, list] = {}
        for result in results:
            by_kind.setdefault(str(result.kind), []).append(result)
        groups = sorted(by_kind.items())
    return render("dashboard/search.html", "dashboard/_search_results.html", query=query, groups=groups)


@bp.get("/nav")
@employee
def nav():
    """The navigation with its counts, polled by the layout and refreshed after actions."""
    return render("_nav.html", oob=True)


@bp.post("/language")
@public
def set_language():
    language = request.form.get("language")
    if language in LANGUAGES:
        if current_user.is_authenticated:
            current_user.language = language
            db.session.commit()
        session["language"] = language
    return redirect(safe_next(request.form.get("next") or request.referrer and urlsplit(request.referrer).path))


@bp.get("/healthz")
@public
def health():
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}
