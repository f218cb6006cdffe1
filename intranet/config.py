"""Deployment configuration (not business settings, which live in the database).

Values come, later ones winning, from these defaults, ``instance/config.py``,
environment variables prefixed ``INTRANET_`` (``INTRANET_SECRET_KEY``...),
``DATABASE_URL``, and finally the mapping passed to ``create_app``.
"""
from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

from flask import Config

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Defaults:
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # set True behind HTTPS (see docs/deployment.md)
    SESSION_COOKIE_NAME = "intranet_session"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    #: Only a fallback: sign-in sets the lifetime from the setting core.remember_days.
    REMEMBER_COOKIE_DURATION = 14 * 24 * 3600
    PERMANENT_SESSION_LIFETIME = 8 * 3600
    WTF_CSRF_TIME_LIMIT = None  # valid for the session: htmx pages stay open all day
    MAX_CONTENT_LENGTH = 32 * 1024 * 1024
    PASSWORD_HASH_METHOD = "scrypt"
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = "20 per minute"
    #: Load the built-in and installed modules from the ``intranet.plugins`` entry points.
    PLUGINS_ENTRY_POINTS = True
    #: Only these entry points (None: all of them).
    PLUGINS_ONLY = None
    #: Import paths of further plugin packages (tests use tests/example_module).
    PLUGINS_EXTRA = ()
    #: SMTP for e-mail notifications; without MAIL_SERVER no e-mail is sent.
    MAIL_SERVER = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_FROM = "intranet@localhost"
    #: Absolute address of the intranet, for links in e-mails and QR codes.
    PUBLIC_URL = "http://127.0.0.1:5000"
    #: CJK TrueType font embedded in PDFs (Debian: fonts-wqy-microhei).
    PDF_FONT_PATH = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
    #: Key of the audit chain's HMAC; kept outside the database (unset: instance/audit_key, made on first start).
    AUDIT_KEY = None
    #: Where the latest audit anchor is kept outside the database (unset: instance/audit_anchor.json).
    AUDIT_ANCHOR_FILE = None


def instance_path() -> Path:
    """The instance folder: ``INTRANET_INSTANCE_PATH``, else ``instance/`` in the checkout."""
    return Path(os.environ.get("INTRANET_INSTANCE_PATH", str(PROJECT_ROOT / "instance")))


def load(app, overrides: dict | None) -> None:
    resolve(app.config, Path(app.instance_path), overrides)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))
    if not app.config.get("AUDIT_KEY"):
        app.config["AUDIT_KEY"] = _instance_secret(Path(app.instance_path), "audit_key", "INTRANET_AUDIT_KEY")


def read(overrides: dict | None = None) -> Config:
    """The configuration an app would get, without building one (for the gunicorn master)."""
    config = Config(str(PROJECT_ROOT))
    resolve(config, instance_path(), overrides)
    return config


def resolve(config: Config, instance: Path, overrides: dict | None) -> None:
    config.from_object(Defaults)
    config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / 'intranet.db'}"
    config.from_pyfile(str(instance / "config.py"), silent=True)
    config.from_prefixed_env("INTRANET")
    if os.environ.get("DATABASE_URL"):
        config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    config.update(overrides or {})
    if config["SESSION_COOKIE_SECURE"]:
        # The remember cookie signs one in just as well; it must not travel over plain HTTP either.
        config["REMEMBER_COOKIE_SECURE"] = True
    config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(config["SQLALCHEMY_DATABASE_URI"])
    if not config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # A database server may drop idle connections, so each checkout is tested first;
        # a SQLite file cannot, and is spared that extra statement per request.
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True, **config["SQLALCHEMY_ENGINE_OPTIONS"]}


def unshared_rate_limits(workers: int, config: Config) -> str | None:
    """Why the sign-in limit per address does not hold with ``workers`` processes, if it does not.

    Flask-Limiter's default store is each process's own memory: every worker then
    counts alone and the limit is multiplied by the number of workers.
    """
    storage = config["RATELIMIT_STORAGE_URI"]
    if workers <= 1 or not storage.startswith("memory://"):
        return None
    return (f"{workers} workers keep sign-in rate limits in their own memory ({storage}), so each address gets "
            f"{workers} times {config['LOGIN_RATE_LIMIT']}; share one store across every worker and server: "
            f"INTRANET_RATELIMIT_STORAGE_URI=redis://host:6379/0 (see docs/deployment.md)")


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for plain ``postgresql://`` URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _instance_secret(instance: Path, name: str = "secret_key", variable: str = "INTRANET_SECRET_KEY") -> str:
    """A secret generated once per installation, shared by the workers of one server.

    Several servers must share it through the environment (``variable``) instead.
    """
    path = instance / name
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        try:  # O_EXCL: when two workers start at once, the first one's key wins
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
    for _ in range(100):  # another worker may be writing it this very moment
        key = path.read_text().strip()
        if key:
            return key
        time.sleep(0.01)
    raise RuntimeError(f"{path} is empty; delete it or set {variable}")
