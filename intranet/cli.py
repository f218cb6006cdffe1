"""``flask --app intranet ...`` commands."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
import sys

import click
from flask import current_app, url_for
from flask.cli import AppGroup, with_appcontext

from . import audit
from .admin.backup import BackupError, backup, restore
from .admin.setup import install
from .admin.switchboard import load_module_states, overview, set_enabled
from .approvals.context import engine_for
from .approvals.queries import pending_by_module
from .auth.permissions import MANAGE_ROLES, active_holders, restore_default_grants
from .db import db, utcnow, write_intent
from .documents.service import DocumentService
from .errors import DomainError
from .notify.mail import send_pending
from .notify.services import ScanContext, run_scanners
from .org.demo import create_demo_company, demo_exists, sign_ins
from .web.context import calendar, enabled_hooks, enabled_modules, settings


@contextmanager
def unit_of_work(command: str):
    """Run a command as the audited actor "cli:<command>" with the write lock on SQLite."""
    token = write_intent.set(True)
    try:
        with audit.acting_as(audit.Actor(None, f"cli:{command}", "")):
            yield db.session
    finally:
        write_intent.reset(token)


def _state():
    return current_app.extensions["intranet"]


def _in_app_context(command: click.Command) -> click.Command:
    """Plain click commands (ours and modules') run inside the app context."""
    if not isinstance(command, click.Group) and not getattr(command.callback, "_in_app_context", False):
        command.callback = with_appcontext(command.callback)
        command.callback._in_app_context = True
    return command


def init_app(app, registry) -> None:
    commands = [init_command, demo_command, remind_command, backup_command, restore_command,
                modules_group, audit_group, roles_group]
    commands += [c for group in registry.all_hooks.intranet_cli_commands() for c in group or ()]
    for command in commands:
        app.cli.add_command(_in_app_context(command))


@click.command("init")
def init_command():
    """Seed roles, permissions and module states (run after `flask db upgrade`)."""
    with unit_of_work("init") as session:
        news = install(session, _state())
        session.commit()
    click.echo("\n".join(news) if news else "Nothing new to install.")


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the demo company already exists.")
def demo_command(if_empty: bool):
    """Create the demo company and fill every switched-on module with demo data."""
    with unit_of_work("demo") as session:
        install(session, _state())
        if demo_exists(session):
            if if_empty:
                click.echo("The demo company exists already.")
                return
            raise click.ClickException("The demo company exists already.")
        company = create_demo_company(session, hash_method=current_app.config["PASSWORD_HASH_METHOD"])
        state, enabled = _state(), enabled_modules()
        engine = engine_for(session, state, enabled=enabled)
        company.settings = engine.settings
        company.documents = DocumentService(session, types=state.document_types, engine=engine,
                                            settings=engine.settings)
        # A module's demo data may build on what the modules it uses created first.
        state.registry.call_in_order("intranet_demo_data", enabled, session=session, company=company)
        session.commit()
    click.echo("Demo company created. Everyone's password is demo1234:")
    for roles, username, name in sign_ins():
        click.echo(f"  {username:<10} {name}  ({roles})")


@click.command("remind")
def remind_command():
    """Run every switched-on module's reminder scanners and send pending e-mail.

    Run it every few minutes from a timer; a second run sends nothing twice.
    """
    app = current_app._get_current_object()
    with app.test_request_context("/", base_url=app.config["PUBLIC_URL"]), unit_of_work("remind") as session:
        scanners = [s for group in enabled_hooks().intranet_reminder_scanners() for s in group or ()]
        context = ScanContext(session=session, now=utcnow(), settings=settings(), calendar=calendar(),
                              url_for=url_for, enabled=enabled_modules())
        report = run_scanners(session, scanners, context)
        sent, failed = send_pending(session, settings()["core.default_language"])
    click.echo(f"{len(scanners)} scanners: {report.delivered} reminders delivered, "
               f"{report.already_sent} already sent; e-mail: {sent} sent, {failed} failed.")
    if report.failed_scanners:
        click.echo(f"Failed scanners: {', '.join(report.failed_scanners)}", err=True)
        sys.exit(1)


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(file: Path):
    """Write a backup of the whole database to FILE."""
    with unit_of_work("backup") as session:
        audit.record(session, "backup", details={"file": str(file)})
        session.commit()
    try:
        backup(db.engine, file)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backed up to {file}")


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(file: Path, yes: bool):
    """Replace the whole database with the backup in FILE."""
    if not yes:
        click.confirm(f"Replace everything in the database with {file}?", abort=True)
    db.session.remove()
    try:
        restore(db.engine, file)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    with unit_of_work("restore") as session:
        audit.record(session, "restore", details={"file": str(file)})
        session.commit()
    click.echo(f"Restored from {file}")


modules_group = AppGroup("modules", help="List modules and switch them on or off.")


@modules_group.command("list")
def modules_list():
    rows = overview(_state().registry, load_module_states(db.session), pending_by_module(db.session))
    for row in rows:
        needs = f" needs {', '.join(row.depends_on)}" if row.depends_on else ""
        used = f" used by {', '.join(row.dependants)}" if row.dependants else ""
        click.echo(f"{row.key:<14} {'on ' if row.enabled else 'off'} v{row.version:<8} "
                   f"pending approvals: {row.pending}{needs}{used}")


def _switch(name: str, enabled: bool) -> None:
    with unit_of_work("modules") as session:
        try:
            set_enabled(session, _state().registry, name, enabled)
        except DomainError as error:
            session.rollback()
            raise click.ClickException(str(error)) from None
        session.commit()
    click.echo(f"{name} is now {'on' if enabled else 'off'}.")


@modules_group.command("enable")
@click.argument("name")
def modules_enable(name: str):
    _switch(name, True)


@modules_group.command("disable")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def modules_disable(name: str, yes: bool):
    pending = pending_by_module(db.session).get(name, 0)
    if pending and not yes:
        click.confirm(f"{name} has {pending} pending approvals; they wait until it is on again. Continue?",
                      abort=True)
    _switch(name, False)


audit_group = AppGroup("audit", help="Check the audit log.")


@audit_group.command("verify")
def audit_verify():
    """Recompute the hash chain; exit 1 naming the first edited or deleted entry."""
    problem = audit.verify_chain(db.session)
    if problem:
        click.echo(f"Audit log broken: {problem}", err=True)
        sys.exit(1)
    click.echo("Audit log intact.")


roles_group = AppGroup("roles", help="Roles and the permission matrix.")


@roles_group.command("restore-defaults")
def roles_restore_defaults():
    """Give every role the permissions the core and the modules declare for it by default.

    For an administrator locked out by a matrix with too few ticks; grants beyond the
    defaults stay, and a second run changes nothing.
    """
    with unit_of_work("roles") as session:
        restored = restore_default_grants(session, _state().permissions.values())
        if restored:
            audit.record(session, "permissions_restored", entity="core_role_permission",
                         details={"granted": [f"{role}|{permission}" for role, permission in restored]})
        session.commit()
        holders = active_holders(session, MANAGE_ROLES)
    for role, permission in restored:
        click.echo(f"granted {permission} to {role}")
    click.echo(f"{len(restored)} default permissions restored." if restored else "Every default permission is "
               "granted already.")
    if holders:
        click.echo("Roles and permissions can be managed by: " + ", ".join(
            f"{user.name} ({user.username})" for user in holders))
    else:
        click.echo(f"No active user holds a role with {MANAGE_ROLES}: give someone such a role.", err=True)
