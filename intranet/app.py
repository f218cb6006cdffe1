"""The application factory."""
from __future__ import annotations

from dataclasses import dataclass
import functools
import importlib
import os
from pathlib import Path

from babel import Locale
from flask import Flask, current_app, g, has_request_context, redirect, request, session, url_for
from flask.templating import Environment
from flask_login import current_user
from sqlalchemy import bindparam, func, literal_column, select
from werkzeug.routing import IntegerConverter

from . import cli, web
from . import config as config_module
from .admin.switchboard import enabled_modules, load_module_states
from .approvals.delegation import load_delegations
from .audit import Actor, reset_actor, set_actor
from .audit.capture import record_export
from .auth.permissions import attach, load_grants
from .calendar import load_calendar_days
from .db import configure_engine, db, read_without_transaction, write_intent
from .documents import derive
from .documents.context import can_view
from .documents.context import init_app as documents_init_app
from .documents.numbering import number_format_setting
from .extensions import babel, csrf, htmx, limiter, login_manager, migrate
from .i18n import gettext as _
from .org.chart import load_org_chart
from .org.models import User, UserRole, role_label
from .pdf.fonts import font_problem
from .plugins import Permission, PluginRegistry, build_registry
from .runtime import CURRENT_GENERATION, RuntimeCache
from .settings import Setting, load_overrides
from .web.access import access_of
from .web.context import settings, snapshot
from .web.errors import error_page, module_off
from .web.export import exported
from .web.rendering import MAX_ID

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: Every response's policy: scripts, styles and images only from this site, no inline
#: script or style (htmx is told not to inject its indicator style; see templates/base.html),
#: never framed. A view may send a stricter one of its own (downloads do).
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                           "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
#: Only over HTTPS (behind the proxy: X-Forwarded-Proto, see docs/deployment.md): a year.
STRICT_TRANSPORT_SECURITY = "max-age=31536000"
#: Every core table, so metadata (migrations, create_all, the audit log) knows them all.
CORE_MODELS = ("runtime", "numbering", "org.models", "auth.models", "settings.models", "calendar.models",
               "notify.models", "audit.models", "admin.models", "files.models", "approvals.models",
               "pdf.models", "documents.models")
LANGUAGES = ("zh_CN", "en")


class IdConverter(IntegerConverter):
    """``<int:...>`` ids stay within the database's integer range; larger ones are 404."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


class _Environment(Environment):
    def make_globals(self, d):
        # Jinja layers a template's globals over the environment's in a ChainMap, which
        # every render and every include then copies key by key: a fifth of the layout's
        # time. Ours are complete once create_app returns (Jinja asks the same: no changes
        # after a template is loaded), so one flat dict serves.
        return {**self.globals, **(d or {})}


class Intranet(Flask):
    jinja_environment = _Environment


@dataclass
class IntranetState:
    """What ``app.extensions["intranet"]`` holds for one app."""

    registry: PluginRegistry
    runtime: RuntimeCache
    permissions: dict[str, Permission]
    settings: dict[str, Setting]
    approval_types: dict
    pdf_templates: dict
    document_types: dict


def create_app(config: dict | None = None) -> Flask:
    """Build the intranet. ``config`` overrides everything else (tests use it)."""
    for name in CORE_MODELS:
        importlib.import_module(f"{__package__}.{name}")
    root = config_module.PROJECT_ROOT
    app = Intranet(
        "intranet",
        template_folder=str(root / "templates"),
        static_folder=str(root / "static"),
        instance_path=str(config_module.instance_path()),
    )
    config_module.load(app, config)
    app.url_map.converters["int"] = IdConverter
    registry = build_registry(entry_points=app.config["PLUGINS_ENTRY_POINTS"],
                              only=app.config["PLUGINS_ONLY"], extra=app.config["PLUGINS_EXTRA"])
    state = IntranetState(registry=registry, runtime=RuntimeCache(),
                          permissions=_collect(registry.all_hooks.intranet_permissions()),
                          settings=_collect(registry.all_hooks.intranet_settings()),
                          approval_types=_collect(registry.all_hooks.intranet_approval_types()),
                          pdf_templates=_collect(registry.all_hooks.intranet_pdf_templates()),
                          document_types=_collect(registry.all_hooks.intranet_document_types()))
    _derive_from_documents(state)
    app.extensions["intranet"] = state
    _register_loaders(state)
    _tag_models(registry)
    _init_extensions(app, registry)
    _register_blueprints(app, registry)
    _register_request_hooks(app, state)

    web.init_app(app)
    # Role names are org's; the toolkit (web) does not know them, so the app registers the filter.
    app.jinja_env.filters["role_label"] = role_label
    exported.connect(record_export)  # every export is audited; blinker keeps one connection however many apps
    documents_init_app(app)
    cli.init_app(app, registry)
    _check_font(app)
    return app


def _check_font(app: Flask) -> None:
    """Say at start-up, not at the first print, when the CJK font is missing."""
    problem = font_problem(app.config["PDF_FONT_PATH"])
    if problem:
        app.logger.error("Printing will not work: %s", problem)


def _collect(items) -> dict:
    """Flatten a list-of-lists hook result into a dict by ``key``; keys are unique."""
    found: dict = {}
    for group in items:
        for item in group or ():
            if item.key in found:
                raise RuntimeError(f"{item.key!r} is declared twice")
            found[item.key] = item
    return found


def _derive_from_documents(state: IntranetState) -> None:
    """Each document type's number format setting, approval type and printable form."""
    for key, kind in state.document_types.items():
        derived = []
        if kind.numbering is not None:
            derived.append(("settings", number_format_setting(kind)))
        if kind.approval is not None:
            derived.append(("approval_types", derive.approval_type(kind, can_view(kind))))
        if kind.printing is not None:
            derived.append(("pdf_templates", derive.pdf_template(kind, can_view(kind))))
        for registry, item in derived:
            found = getattr(state, registry)
            if item.key in found:
                raise RuntimeError(f"{item.key!r} is declared twice")
            found[item.key] = item


def _register_loaders(state: IntranetState) -> None:
    runtime, registry = state.runtime, state.registry
    runtime.register("modules", lambda session: enabled_modules(registry, load_module_states(session)))
    runtime.register("grants", load_grants)
    runtime.register("settings", load_overrides)
    runtime.register("calendar", load_calendar_days)
    runtime.register("org", load_org_chart)
    runtime.register("delegations", load_delegations)


def _tag_models(registry: PluginRegistry) -> None:
    """Tell each module's models which module they belong to (for the audit log)."""
    tables = {table: key for key, module in registry.modules.items() for table in module.tables}
    for mapper in db.Model.registry.mappers:
        key = next((tables[t.name] for t in mapper.tables if t.name in tables), None)
        if key:
            mapper.class_.__module_key__ = key


def _init_extensions(app: Flask, registry: PluginRegistry) -> None:
    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"), render_as_batch=True)
    app.extensions["intranet_migration_dirs"] = [str(Path(__file__).parent / "migrations" / "versions")] + [
        str(m.migrations_dir / "versions") for m in registry.modules.values() if m.migrations_dir.is_dir()]
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    csrf.init_app(app)
    limiter.init_app(app)
    htmx.init_app(app)
    directories = [str(Path(__file__).parent / "translations")]
    directories += [str(m.root / "translations") for m in registry.modules.values()
                    if (m.root / "translations").is_dir()]
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(directories)
    babel.init_app(app, locale_selector=_select_locale, timezone_selector=_select_timezone)


@migrate.configure
def _module_migrations(alembic_config):
    """Every installed module's migrations join the core's history as a branch."""
    alembic_config.set_main_option("version_locations",
                                   os.pathsep.join(current_app.extensions["intranet_migration_dirs"]))
    return alembic_config


@functools.cache
def _locale(code: str):
    """Parsed once: Babel's parsing is a visible part of every request otherwise."""
    return Locale.parse(code)


def _select_locale():
    if not has_request_context():  # a command, the reminder job, a worker thread: the company's language
        return _locale(settings()["core.default_language"])
    user = current_user
    if getattr(user, "is_authenticated", False) and user.language in LANGUAGES:
        return _locale(user.language)
    if session.get("language") in LANGUAGES:
        return _locale(session["language"])
    best = request.accept_languages.best_match(["zh_CN", "zh", "en"]) if request else None
    if best:
        return _locale("zh_CN" if best.startswith("zh") else "en")
    return _locale(settings()["core.default_language"])


def _select_timezone() -> str:
    return settings()["core.timezone"]


def _register_blueprints(app: Flask, registry: PluginRegistry) -> None:
    for group in registry.all_hooks.intranet_blueprints():
        for blueprint in group or ():
            prefix = blueprint.url_prefix
            if prefix is None and blueprint.name in registry.modules:
                prefix = f"/{blueprint.name}"
            app.register_blueprint(blueprint, url_prefix=prefix)


@login_manager.user_loader
def _load_user(user_id: str):
    uid, _, token = user_id.partition(":")
    if not uid.isdigit() or len(uid) > 10:
        return None
    row = db.session.execute(_signed_in_user(), {"id": int(uid)}).one_or_none()
    if row is None or not row.User.active or row.User.session_token != token:
        return None
    return attach(row.User, (row.role_keys or "").split(), snapshot(row.generation)["grants"])


@functools.cache
def _signed_in_user():
    """The signed-in user, their role keys and the runtime generation in one row,
    built once and run on every request.

    Only the keys are needed, and loading ``User.roles`` as objects would cost
    three times the user's own query. Role keys contain no spaces (see RoleForm).
    The generation rides along so a signed-in page asks the database once before
    its own queries (see RuntimeCache.snapshot).
    """
    # A literal separator: as a parameter it would be a literal-execute one, which has
    # SQLAlchemy rewrite the SQL string on every run.
    separator = literal_column("' '")
    # Names as variables: message extraction reads label("...") as a printed form's label.
    role_keys_column, generation_column = "role_keys", "generation"
    role_keys = (select(func.aggregate_strings(UserRole.role_key, separator)).where(UserRole.user_id == User.id)
                 .scalar_subquery().label(role_keys_column))
    generation = CURRENT_GENERATION.scalar_subquery().label(generation_column)
    return select(User, role_keys, generation).where(User.id == bindparam("id"))


def _register_request_hooks(app: Flask, state: IntranetState) -> None:
    allowed_while_password_expired = {"auth.change_password", "auth.logout", "static", "dashboard.set_language"}

    @app.before_request
    def _begin_request():
        view = app.view_functions.get(request.endpoint) if request.endpoint else None
        writes = request.method not in SAFE_METHODS or getattr(view, "writes", False)
        g.write_token = write_intent.set(writes)
        if view is None or request.endpoint == "static":
            return None
        if not writes:
            read_without_transaction(db.session)
        if _has_nul(request.args) or _has_nul(request.form):
            return error_page(422, _("The input contains a NUL character, which cannot be stored."))
        public = access_of(view) == ("public",)
        # The user first: their row carries the generation the snapshot below needs.
        if not public and not current_user.is_authenticated:
            return login_manager.unauthorized()
        key = state.registry.blueprint_module.get(request.blueprints[-1] if request.blueprints else None)
        if key is not None and key not in snapshot()["modules"]:
            return module_off(state.registry.modules[key])
        if public:
            return None
        g.actor_token = set_actor(Actor(current_user.id, current_user.name, request.remote_addr or ""))
        if current_user.must_change_password and request.endpoint not in allowed_while_password_expired:
            return redirect(url_for("auth.change_password"))
        return None

    @app.after_request
    def _security_headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
        return response

    @app.teardown_request
    def _end_request(_exc=None):
        # Requests share threads; leave no intent or actor behind for the next one.
        if "write_token" in g:
            write_intent.reset(g.pop("write_token"))
        if "actor_token" in g:
            reset_actor(g.pop("actor_token"))


def _has_nul(values) -> bool:
    return any("\x00" in value for _key, listed in values.lists() for value in listed)
