"""Whole-database backup and restore 数据备份, with each database's own tools.

SQLite uses the online backup API (a consistent copy while the intranet
runs); PostgreSQL uses pg_dump's custom format and pg_restore, so a backup is
one file either way. A restore replaces everything in the database.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import Engine, make_url

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"


class BackupError(RuntimeError):
    """A backup or restore could not be made; the message says why."""


def _sqlite_path(engine: Engine) -> str:
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return database


def _pg_command(tool: str, engine: Engine) -> tuple[list[str], dict]:
    binary = shutil.which(tool)
    if binary is None:
        raise BackupError(f"{tool} is not installed (Debian: apt-get install postgresql-client)")
    url = make_url(engine.url.render_as_string(hide_password=False))
    args = [binary, "--no-owner", "--no-privileges", "--dbname", url.database or ""]
    for flag, value in (("--host", url.host), ("--port", url.port), ("--username", url.username)):
        if value:
            args += [flag, str(value)]
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return args, env


def _run(args: list[str], env: dict) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True, timeout=3600)
    if result.returncode != 0:
        raise BackupError(result.stderr.strip() or f"{args[0]} exited with {result.returncode}")


def backup(engine: Engine, target: Path) -> Path:
    """Write a consistent copy of the whole database to ``target``."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if engine.dialect.name == "sqlite":
        source = sqlite3.connect(_sqlite_path(engine))
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            destination.close()
            source.close()
    elif engine.dialect.name == "postgresql":
        args, env = _pg_command("pg_dump", engine)
        _run(args + ["--format", "custom", "--file", str(target)], env)
    else:
        raise BackupError(f"no backup method for {engine.dialect.name}")
    return target


def restore(engine: Engine, source: Path) -> None:
    """Replace the database's content with the backup in ``source``."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source} does not exist")
    with source.open("rb") as handle:
        magic = handle.read(16)
    engine.dispose()  # no pooled connection may keep the old content
    if engine.dialect.name == "sqlite":
        if not magic.startswith(SQLITE_MAGIC):
            raise BackupError(f"{source} is not a SQLite backup")
        backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        live = sqlite3.connect(_sqlite_path(engine))
        try:
            backup_db.backup(live)
        finally:
            live.close()
            backup_db.close()
    elif engine.dialect.name == "postgresql":
        if not magic.startswith(PGDUMP_MAGIC):
            raise BackupError(f"{source} is not a PostgreSQL backup made by this command")
        args, env = _pg_command("pg_restore", engine)
        _run(args + ["--clean", "--if-exists", "--single-transaction", str(source)], env)
    else:
        raise BackupError(f"no restore method for {engine.dialect.name}")
    engine.dispose()
