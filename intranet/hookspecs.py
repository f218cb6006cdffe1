"""Hook specifications: everything a module can contribute to the intranet.

A module is a Python package registered under the entry-point group
``intranet.plugins``; its ``__init__.py`` holds the implementations, marked
with :data:`intranet.hookimpl`. The core's own features implement the same
hooks (``intranet/*/hooks.py``), so a built-in page and a third-party page are
wired the same way.

Conventions for every hook:

* Hooks are called with keyword arguments only.
* Hooks returning lists are called on every plugin; the caller concatenates
  the lists. Order between plugins is not significant unless the hook says so;
  use ``order`` fields on the returned items to sort.
* Hooks that describe *installed* capabilities (module, blueprints,
  permissions, settings, approval types, PDF templates, CLI commands) are
  called once at start-up for every installed module, switched on or not, so
  that URLs, permission keys and settings stay stable.
* Hooks that act at run time (menu, widgets, search, reminders, demo data) are
  called only on modules that are switched on at that moment.
* Everything a module names starts with its key: blueprint ``key``, template
  folder ``key/``, tables ``key_*``, permissions, settings, approval types and
  PDF templates ``key.*``, migrations branch ``key``. Start-up refuses a module
  that breaks this rule (see :mod:`intranet.plugins`).
"""
from __future__ import annotations

import pluggy

#: Marks hook specifications, the core's and those a module declares for others.
hookspec = pluggy.HookspecMarker("intranet")


@hookspec(firstresult=True)
def intranet_module():
    """Describe the module this plugin provides.

    Called once per plugin at start-up, on that plugin alone (the registry
    calls each implementation directly, so exactly one result per plugin).

    :return: an :class:`intranet.ModuleInfo` with the module's ``key`` (which
        must equal the entry-point name), title, version, ``depends_on`` keys
        and icon.
    """


@hookspec
def intranet_blueprints():
    """Return the Flask blueprints of the module.

    Called once at start-up. All installed modules register their blueprints;
    the switchboard answers 404 for a switched-off module's URLs per request.

    :return: a list of :class:`flask.Blueprint`; each blueprint's name must be
        the module key and its template folder must hold only a ``<key>/``
        sub-folder.
    """


@hookspec
def intranet_permissions():
    """Declare the permission keys the module checks.

    Called once at start-up. New keys are granted to their ``default_roles``
    the first time the intranet sees them; afterwards the role/permission
    matrix page is the truth, so a revoked default stays revoked.

    :return: a list of :class:`intranet.auth.Permission`, keys ``<key>.<name>``.
    """


@hookspec
def intranet_settings():
    """Declare the module's settings (thresholds, deadlines, lists) with defaults.

    Called once at start-up. Every number from the handbooks is a setting, never
    a literal in code; administrators change values on the settings page.

    :return: a list of :class:`intranet.settings.Setting`, keys ``<key>.<name>``.
    """


@hookspec
def intranet_menu_items(user):
    """Return navigation entries for ``user``.

    Called on every full page render, only on switched-on modules. Return only
    entries the user may open (check ``user.can(...)``); return ``[]`` for none.
    Every page shows the badges: give one as the rows to count (a ``SELECT``
    built once, see :class:`intranet.MenuItem`) and the layout counts all the
    menu's badges in one statement, each no further than
    :data:`intranet.BADGE_LIMIT`, so a page's cost grows neither with the lists
    nor with the number of modules.

    :param user: the signed-in :class:`intranet.org.User`.
    :return: a list of :class:`intranet.MenuItem`; the layout sorts them by
        ``order`` (then endpoint, so the order never depends on the language).
    """


@hookspec
def intranet_dashboard_widgets(user):
    """Return the dashboard widgets to show ``user``.

    Called on each dashboard render, only on switched-on modules. A widget's
    ``render`` callable runs a fixed number of queries whatever the data size.

    :param user: the signed-in :class:`intranet.org.User`.
    :return: a list of :class:`intranet.Widget`, sorted by ``order``.
    """


@hookspec
def intranet_reminder_scanners():
    """Return the module's deadline and expiry scanners.

    Called by ``flask --app intranet remind`` on switched-on modules. Each
    scanner receives a :class:`intranet.notify.ScanContext` and yields
    :class:`intranet.notify.Reminder` items; the core delivers each reminder key
    at most once, so scanners may report the same item on every run.

    :return: a list of :class:`intranet.notify.ReminderScanner`.
    """


@hookspec
def intranet_search(query, user, limit):
    """Search the module's records for the global search box.

    Called on switched-on modules only. Return only records ``user`` may see.

    :param query: the stripped search text (at least two characters).
    :param user: the signed-in :class:`intranet.org.User`.
    :param limit: the most results the page will show from one module.
    :return: a list of :class:`intranet.SearchResult` (at most ``limit``).
    """


@hookspec
def intranet_demo_data(session, company):
    """Fill the module with realistic demo data.

    Called by ``flask --app intranet demo`` after the core has created the demo
    company, on switched-on modules, inside one transaction.

    :param session: the SQLAlchemy session to add rows to (do not commit).
    :param company: an :class:`intranet.org.DemoCompany` with the departments
        by name, users by role key and a deterministic ``random`` generator.
    :return: ``None``.
    """


@hookspec
def intranet_cli_commands():
    """Return click commands or groups to add under ``flask --app intranet``.

    Called once at start-up. Name groups after the module key to avoid clashes.

    :return: a list of :class:`click.Command`.
    """


@hookspec
def intranet_approval_types():
    """Declare the kinds of documents the module sends through the approval engine.

    Called once at start-up for every installed module. The inbox, decisions,
    reminders and policies of a switched-off module's types disappear until it
    is switched on again; its requests are kept.

    :return: a list of :class:`intranet.approvals.ApprovalType`, keys ``<key>.<name>``.
    """


@hookspec
def intranet_pdf_templates():
    """Declare the module's printable forms (the names in 《》 of the handbooks).

    Called once at start-up for every installed module. The module describes
    only content (:class:`intranet.pdf.PrintableDocument`); the core lays it
    out with letterhead, approval trail, page numbers and verification code.

    :return: a list of :class:`intranet.pdf.PdfTemplate`, keys ``<key>.<name>``.
    """


# -- the module kit ------------------------------------------------------------------
@hookspec
def intranet_models():
    """Declare the module's tables: the model classes it defines.

    Called once at start-up for every installed module. The registry reads the
    module's tables from this list (table prefix, migration branch, audit labels),
    so a model is never found by the accident of an import; a mapped class of the
    module's package that is not listed stops start-up.

    :return: a list of model classes (subclasses of :data:`intranet.Model`).
    """


@hookspec
def intranet_document_types():
    """Declare the module's documents (a purchase request, a receipt, a task).

    Called once at start-up for every installed module. From each
    :class:`intranet.documents.DocumentType` the core derives the number series
    (and its ``<type key>.number_format`` setting), the status registry, the
    approval type (when ``approval`` is given) and the printable form (when
    ``printing`` is given), all under the type's key.

    :return: a list of :class:`intranet.documents.DocumentType`, keys ``<key>.<name>``.
    """


@hookspec
def intranet_document_event(event):
    """React to something that happened to a document of any module.

    Called on switched-on modules, inside the transaction of the action that caused
    it (a submission, an approval decision, a module's own move of a status), so
    what the subscriber writes is kept or undone with it; raising
    :class:`intranet.Conflict` or :class:`intranet.Invalid` refuses the action
    (a budget that blocks over-budget purchases). Filter on ``event.type_key``.

    :param event: an :class:`intranet.events.DocumentEvent` (name, type key,
        document, session, time, actor, old and new status, approval request).
    :return: ``None``.
    """


@hookspec
def intranet_detail_panels(type_key, document, user):
    """Add panels to another module's document page (a customer's orders).

    Called when a detail page that includes the panel slot is rendered, on
    switched-on modules only. Return panels only ``user`` may see; each panel
    runs a fixed number of queries.

    :param type_key: the shown document's type key, e.g. ``crm.customer``.
    :param document: the shown document.
    :param user: the signed-in :class:`intranet.org.User`.
    :return: a list of :class:`intranet.documents.Panel`, sorted by ``order``.
    """


@hookspec
def intranet_settings_changed(session, settings, changed, actor_id):
    """React to an administrator's change of settings (a policy that follows a limit).

    Called on the core and switched-on modules when the settings page saves, inside its
    transaction and before the commit, so what the implementation writes is kept or
    undone with the settings; raising :class:`intranet.Invalid` with ``field`` set to a
    setting's key refuses the change with the message beside that setting.

    :param session: the SQLAlchemy session of the change.
    :param settings: the :class:`intranet.settings.Settings` as they are after the change.
    :param changed: ``{key: (old value, new value)}`` of the settings that changed.
    :param actor_id: the administrator's user id.
    :return: ``None``.
    """


@hookspec
def intranet_roles():
    """Declare roles the module needs beyond the core's (a market manager).

    Called once at start-up; ``flask init`` creates missing roles as built-in roles
    with the declared label. Grant them permissions through ``default_roles`` of
    :class:`intranet.auth.Permission`.

    :return: a list of :class:`intranet.auth.RoleSpec`, keys ``<key>_<name>``.
    """


@hookspec
def intranet_addhooks(pluginmanager):
    """Declare hooks of the module's own that other modules implement or call.

    Called once at start-up, before implementations are checked (as pytest's
    ``pytest_addhooks``): add a module of ``@intranet.hookspec`` functions with
    ``pluginmanager.add_hookspecs(module)``. Their names start with the module's
    key (``budget_remaining``); an implementation with a misspelled name or a
    parameter the specification lacks stops start-up. Callers use
    :func:`intranet.ask` and can tell a switched-off module from no answer.

    :param pluginmanager: the :class:`pluggy.PluginManager`.
    :return: ``None``.
    """
