"""Whole-database backup and restore 数据备份, with each database's own tools.

SQLite uses the online backup API (a consistent copy while the intranet
runs); PostgreSQL uses pg_dump's custom format and pg_restore, so a backup is
one file either way. A restore replaces everything in the database.

A SQLite backup is checked before it touches the live database: copied next to
it, opened, ``PRAGMA integrity_check``-ed and looked for our tables. Only a sound
copy is swapped in, in one SQLite transaction (the online backup API in a single
step), so the live file is untouched on any failure and running workers see the
new content through SQLite's own locks (a file rename would leave them writing to
the unlinked old file, and replay a stale ``-wal`` onto the new one).
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import closing
from pathlib import Path

from sqlalchemy.engine import Engine, make_url

from ..errors import N_

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
#: Tables every backup of this intranet has, whatever modules are switched on.
CORE_TABLES = ("core_user", "core_department", "core_audit_entry", "core_setting")
_HEADER_BYTES = 100


class BackupError(RuntimeError):
    """A backup or restore could not be made; the message says why.

    The message is marked with :func:`N_` and formatted with ``params``, so the CLI
    shows it in the company's language (:meth:`translate`).
    """

    def __init__(self, message: str, **params):
        self.message, self.params = message, params
        super().__init__(message % params if params else message)

    def translate(self, gettext) -> str:
        return gettext(self.message, **self.params)


def _sqlite_path(engine: Engine) -> str:
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupError(N_("An in-memory SQLite database cannot be backed up."))
    return database


def _pg_command(tool: str, engine: Engine) -> tuple[list[str], dict]:
    binary = shutil.which(tool)
    if binary is None:
        raise BackupError(N_("%(tool)s is not installed (Debian: apt-get install postgresql-client)."), tool=tool)
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
        raise BackupError(N_("%(tool)s failed: %(output)s"), tool=Path(args[0]).name,
                          output=result.stderr.strip() or f"exit status {result.returncode}")


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
        raise BackupError(N_("There is no backup method for %(dialect)s."), dialect=engine.dialect.name)
    return target


def restore(engine: Engine, source: Path, *, tables: tuple[str, ...] = CORE_TABLES) -> None:
    """Replace the database's content with the backup in ``source``.

    Raises :class:`BackupError`, with the live database unchanged, when ``source``
    is not a sound backup of this intranet (``tables`` are the ones it must hold).
    """
    source = Path(source)
    if not source.is_file():
        raise BackupError(N_("%(file)s does not exist."), file=str(source))
    with source.open("rb") as handle:
        magic = handle.read(16)
    if engine.dialect.name == "sqlite":
        if not magic.startswith(SQLITE_MAGIC):
            raise BackupError(N_("%(file)s is not a SQLite backup."), file=str(source))
        live_path = Path(_sqlite_path(engine))
        # The checked copy lives beside the live file: same disk, so a full disk shows here first.
        with tempfile.TemporaryDirectory(prefix=".restore-", dir=live_path.parent) as scratch:
            checked = Path(scratch) / "checked.db"
            shutil.copyfile(source, checked)
            check_sqlite_backup(checked, tables, name=str(source))
            engine.dispose()  # no pooled connection may keep the old content
            _swap_in(checked, live_path)
    elif engine.dialect.name == "postgresql":
        if not magic.startswith(PGDUMP_MAGIC):
            raise BackupError(N_("%(file)s is not a PostgreSQL backup made by this command."), file=str(source))
        engine.dispose()
        args, env = _pg_command("pg_restore", engine)
        _run(args + ["--clean", "--if-exists", "--single-transaction", str(source)], env)
    else:
        raise BackupError(N_("There is no restore method for %(dialect)s."), dialect=engine.dialect.name)
    engine.dispose()


def check_sqlite_backup(path: Path, tables: tuple[str, ...] = CORE_TABLES, *, name: str | None = None) -> None:
    """Raise :class:`BackupError` unless ``path`` is a whole, uncorrupted SQLite file with ``tables``."""
    name = name or str(path)
    size = path.stat().st_size
    with path.open("rb") as handle:
        header = handle.read(_HEADER_BYTES)
    if len(header) < _HEADER_BYTES or not header.startswith(SQLITE_MAGIC):
        raise BackupError(N_("%(file)s is not a SQLite backup."), file=name)
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    # The page count in the header is valid when its "version-valid-for" matches the change counter.
    if header[92:96] == header[24:28] and pages and size < pages * page_size:
        raise BackupError(N_("%(file)s is cut off: %(size)s of %(expected)s bytes. Restore a complete backup."),
                          file=name, size=size, expected=pages * page_size)
    try:
        with closing(sqlite3.connect(_read_only(path), uri=True)) as connection:
            problems = [row[0] for row in connection.execute("PRAGMA integrity_check(5)")]
            present = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as error:
        raise BackupError(N_("%(file)s is damaged and cannot be restored (%(problem)s)."),
                          file=name, problem=str(error)) from None
    if problems != ["ok"]:
        raise BackupError(N_("%(file)s is damaged and cannot be restored (%(problem)s)."),
                          file=name, problem="; ".join(problems))
    missing = [table for table in tables if table not in present]
    if missing:
        raise BackupError(N_("%(file)s is not a backup of this intranet: it has no %(tables)s."),
                          file=name, tables=", ".join(missing))


def _swap_in(checked: Path, live_path: Path) -> None:
    """Copy every page of ``checked`` over the live database in one transaction."""
    try:
        with closing(sqlite3.connect(_read_only(checked), uri=True)) as backup_db, \
                closing(sqlite3.connect(live_path, timeout=30)) as live:
            backup_db.backup(live)  # pages=-1: one step, one transaction on the live file
    except sqlite3.Error as error:
        raise BackupError(N_("The database was left as it was: the restore failed (%(problem)s)."),
                          problem=str(error)) from None


def _read_only(path: Path) -> str:
    return Path(path).resolve().as_uri() + "?mode=ro"
