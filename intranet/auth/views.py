"""Sign-in, sign-out and password change."""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, current_app, flash, redirect, request, url_for
from flask_login import current_user, login_user, logout_user

from .. import audit
from ..db import db, utcnow
from ..errors import Invalid
from ..extensions import limiter
from ..i18n import gettext as _
from ..web import employee, form_error, form_status, public, render, safe_next, settings
from ..web.filters import local_datetime
from . import services
from .forms import ChangePasswordForm, LoginForm

bp = Blueprint("auth", __name__, url_prefix="/auth")


def password_rules() -> services.PasswordRules:
    values = settings()
    return services.PasswordRules(min_length=values["core.password_min_length"],
                                  hash_method=current_app.config["PASSWORD_HASH_METHOD"],
                                  max_failures=values["core.login_max_failures"],
                                  lockout_minutes=values["core.login_lockout_minutes"])


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        with audit.acting_as(audit.Actor(None, "", request.remote_addr or "")):
            try:
                user = services.authenticate(db.session, form.login.data, form.password.data,
                                             password_rules(), utcnow())
            except services.LoginFailed as failure:
                db.session.commit()  # keep the failure count and the audit entry
                if failure.locked_until:
                    form.form_errors.append(_("Too many failed attempts. Try again after %(time)s.",
                                              time=local_datetime(failure.locked_until)))
                else:
                    form.form_errors.append(_("Wrong user name or password."))
                return render("auth/login.html", form=form, status=422)
            db.session.commit()
        login_user(user, remember=form.remember.data, duration=timedelta(days=settings()["core.remember_days"]))
        return redirect(safe_next(request.args.get("next"), url_for("dashboard.dashboard")))
    return render("auth/login.html", form=form, status=form_status(form))


@bp.post("/logout")
@employee
def logout():
    services.sign_out(db.session, current_user._get_current_object())
    db.session.commit()
    logout_user()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@employee
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(db.session, current_user, form.current_password.data,
                                     form.new_password.data, password_rules())
        except Invalid as error:
            db.session.rollback()
            form_error(form, error)
        else:
            db.session.commit()
            login_user(current_user._get_current_object())  # the session token changed
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("dashboard.dashboard"))
    return render("auth/change_password.html", form=form, status=form_status(form))
