"""Shared helpers for the benchmark scripts (not part of the test suite)."""
from __future__ import annotations

import os
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))


def database_url(kind: str, name: str) -> str:
    """A scratch database for one benchmark: a file under bench/results or a PostgreSQL database."""
    if kind == "sqlite":
        RESULTS.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{RESULTS / f'{name}.db'}"
    server = os.environ.get("BENCH_DATABASE_URL", "postgresql://root@127.0.0.1:5432/test")
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from intranet.config import normalise_database_url

    url = make_url(normalise_database_url(server))
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar()
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def drop(kind: str, name: str) -> None:
    if kind == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            (RESULTS / f"{name}.db{suffix}").unlink(missing_ok=True)
        return
    server = os.environ.get("BENCH_DATABASE_URL", "postgresql://root@127.0.0.1:5432/test")
    from sqlalchemy import create_engine, text

    from intranet.config import normalise_database_url

    engine = create_engine(normalise_database_url(server), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def bench_config(url: str, **extra) -> dict:
    return {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", **extra}


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18] if len(samples) >= 20 else max(samples)


def summary(samples: list[float]) -> str:
    return (f"median {statistics.median(samples):.1f} ms, p95 {p95(samples):.1f} ms, "
            f"max {max(samples):.1f} ms ({len(samples)} samples)")


@contextmanager
def timed(samples: list[float]):
    start = time.perf_counter()
    yield
    samples.append((time.perf_counter() - start) * 1000)


def report(name: str, lines: list[str]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    text = "\n".join(lines)
    (RESULTS / f"{name}.txt").write_text(text + "\n", encoding="utf-8")
    print(text)


def fresh_app(kind: str, name: str):
    """The intranet on a new, empty benchmark database, installed."""
    from intranet import create_app, db
    from intranet.admin.setup import install

    drop(kind, name)
    app = create_app(bench_config(database_url(kind, name)))
    with app.app_context():
        db.create_all()
        install(db.session, app.extensions["intranet"])
        db.session.commit()
    return app
