"""What the audit log's stored keys are called: actions, tables, columns and coded values.

The log stores keys (``update``, ``core_user``, ``department_id``) so that it reads the
same in every language and its hash chain never depends on a translation; these are the
names a reader sees. A table is named by its model's ``__label__`` and a column by the
model's ``__labels__``, else by the generic names below; anything without a name is shown
as the key it is (a module's own action, a column added later).
"""
from __future__ import annotations

from typing import Any, Mapping

from ..errors import N_
from ..i18n import gettext

#: The core's actions; model changes are create, update and delete.
ACTIONS = {
    "create": N_("Record created"), "update": N_("Record changed"), "delete": N_("Record deleted"),
    "login": N_("Signed in"), "login_failed": N_("Sign-in failed"), "logout": N_("Signed out"),
    "password_changed": N_("Password changed"), "password_reset": N_("Password reset"),
    "import": N_("Imported"), "export": N_("Exported"), "print": N_("Printed"),
    "backup": N_("Backed up"), "restore": N_("Restored"),
}

#: Column names shared by many tables, and the keys of events' details.
COLUMNS = {
    "acted_by_id": N_("Acted by"), "action": N_("Action"), "activated_at": N_("Started"), "active": N_("Active"),
    "actor_id": N_("Actor"), "amount": N_("Amount"), "approver_ids": N_("Approvers"), "assignee_id": N_("Assignee"),
    "at": N_("Time"), "attachment_id": N_("Attachment"), "builtin": N_("Built-in"), "cancelled": N_("Cancelled"),
    "category": N_("Category"), "cc_ids": N_("Copied to"), "changed_at": N_("Changed at"),
    "changed_by_id": N_("Changed by"), "code": N_("Code"), "comment": N_("Comment"), "content": N_("Content"),
    "content_hash": N_("Content fingerprint"), "content_type": N_("File type"), "created_at": N_("Created"),
    "created_by_id": N_("Created by"), "currency": N_("Currency"), "day": N_("Date"), "decided_at": N_("Decided"),
    "delegate_id": N_("Delegate"), "department_id": N_("Department"), "description": N_("Description"),
    "details": N_("Details"), "document_id": N_("Document"), "document_number": N_("Document number"),
    "due_amount": N_("Due within"), "due_at": N_("Due"), "due_unit": N_("Unit"), "email": N_("E-mail"),
    "employee_no": N_("Employee number"), "enabled": N_("On"), "ends_at": N_("Until"),
    "fields": N_("Values for the policy"), "file": N_("File"), "format": N_("Format"), "head_id": N_("Head"),
    "id": N_("Record id"), "is_current": N_("Current"), "is_fixed": N_("Fixed position"),
    "is_workday": N_("Working day"), "key": N_("Key"), "language": N_("Language"),
    "last_reminded_on": N_("Last reminded"), "last_signature": N_("Last signature"), "left_on": N_("Left on"),
    "locked_until": N_("Locked until"), "login": N_("Signed in as"), "manager_id": N_("Manager"),
    "mode": N_("Mode"), "module": N_("Module"), "must_change_password": N_("Must change password"),
    "name": N_("Name"), "note": N_("What changed"), "notes": N_("Notes"), "number": N_("Number"),
    "on_behalf_of_id": N_("On behalf of"), "origin": N_("How approvers were found"),
    "parent_id": N_("Parent department"), "password_hash": N_("Password"), "permission": N_("Permission"),
    "phone": N_("Phone"), "policy_id": N_("Policy"), "position": N_("Order"), "position_id": N_("Position"),
    "prev_signature": N_("Previous signature"), "printed_at": N_("Printed at"), "printed_by_id": N_("Printed by"),
    "queue_at": N_("Queued"), "reason": N_("Reason"), "request_id": N_("Request"), "requester_id": N_("Requester"),
    "role_key": N_("Role"), "roles": N_("Roles"), "round": N_("Round"), "rows": N_("Rows"),
    "rule_index": N_("Rule"), "rules": N_("Rules"), "session_token": N_("Session token"),
    "sha256": N_("Fingerprint"), "signature": N_("Signature"), "signature_file_id": N_("Signature image"),
    "signed": N_("Digitally signed"), "size": N_("Size"), "sort_order": N_("Sort order"), "starts_at": N_("From"),
    "status": N_("Status"), "step_id": N_("Step"), "submitted_at": N_("Submitted"),
    "target_user_id": N_("Person concerned"), "template_key": N_("Form"), "title": N_("Title"),
    "trail_hash": N_("Trail fingerprint"), "type_key": N_("Approval type"), "updated_at": N_("Updated"),
    "updated_by_id": N_("Updated by"), "user_id": N_("User"), "username": N_("User name"), "value": N_("Value"),
    "version": N_("Version"), "vp_id": N_("Vice president in charge"),
}

#: Coded values of the core's columns, by column.
VALUES = {
    "status": {"pending": N_("Pending"), "approved": N_("Approved"), "rejected": N_("Rejected"),
               "returned": N_("Returned"), "withdrawn": N_("Withdrawn"), "waiting": N_("Waiting"),
               "active": N_("In progress"), "skipped": N_("Skipped"), "cancelled": N_("Not needed"),
               "transferred": N_("Handed over"), "draft": N_("Draft"), "superseded": N_("Superseded")},
    "action": {"submit": N_("Sent for approval"), "approve": N_("Approved"), "reject": N_("Rejected"),
               "return": N_("Returned"), "resubmit": N_("Resubmitted"), "withdraw": N_("Withdrawn")},
    "mode": {"any": N_("Any one (或签)"), "all": N_("Everyone (会签)")},
    "due_unit": {"hours": N_("working hours"), "days": N_("working days")},
    "origin": {"policy": N_("By the policy"), "before": N_("Added before (前加签)"),
               "after": N_("Added after (后加签)"), "fallback": N_("Nobody found: fallback role")},
    "language": {"zh_CN": "中文", "en": "English"},
}
REDACTED = "***"


class Vocabulary:
    """The names of the audit log's keys in the reader's language.

    :param models: the model classes (table name -> class).
    :param entities: names of what events concern besides tables (a form's key, an
        approval type's key), lazy or plain text.
    :param modules: module key -> title.
    :param roles: role key -> name, for role keys among the values.
    :param statuses: table -> the declared statuses of its document type
        (:class:`intranet.documents.StatusSet`), for a module's own statuses.
    """

    def __init__(self, models: Mapping[str, type], entities: Mapping[str, Any], modules: Mapping[str, Any],
                 roles: Mapping[str, str], statuses: Mapping[str, Any] | None = None):
        self.models, self.entities, self.modules, self.roles = models, entities, modules, roles
        self.statuses = statuses or {}

    def action(self, action: str) -> str | None:
        message = ACTIONS.get(action)
        return gettext(message) if message else None

    def module(self, key: str) -> str:
        if key == "core":
            return gettext("Core")
        title = self.modules.get(key)
        return str(title) if title else key

    def entity(self, entity: str) -> str | None:
        model = self.models.get(entity) or self.models.get(entity.rstrip("s"))  # import: core_users
        label = getattr(model, "__label__", None) if model else self.entities.get(entity)
        return str(label) if label else None

    def entity_choices(self, current: str = "") -> list[tuple[str, str]]:
        """(key, name) of every kind of record with a name, by name; ``current`` too if it has none."""
        choices = {key: self.entity(key) for key in (*self.models, *self.entities)}
        if current and current not in choices:
            choices[current] = None
        return sorted(((key, name or key) for key, name in choices.items() if name or key == current),
                      key=lambda choice: choice[1])

    def column(self, entity: str, column: str) -> str | None:
        own = getattr(self.models.get(entity), "__labels__", {}).get(column)
        if own:
            return str(own)
        message = COLUMNS.get(column)
        return gettext(message) if message else None

    def value(self, column: str, value, entity: str = "") -> tuple[str, bool]:
        """(text, whether it is a name rather than recorded data shown as it is)."""
        declared = self.statuses.get(entity) if column == "status" else None
        if declared is not None and isinstance(value, str) and declared.get(value) is not None:
            return declared.name_of(value), True
        if isinstance(value, bool):
            return gettext("Yes") if value else gettext("No"), True
        if value == REDACTED:
            return gettext("(not shown)"), True
        if column in ("role_key", "roles") and value in self.roles:
            return self.roles[value], True
        message = VALUES.get(column, {}).get(value) if isinstance(value, str) else None
        if message:
            return gettext(message), True
        return ("∅" if value is None else str(value)), False

    def actor(self, name: str) -> tuple[str, str]:
        """(who, the command) of an entry's actor: a person's name, the system or a command."""
        if not name:  # a failed sign-in with a user name nobody has
            return "—", ""
        if name == "system":
            return gettext("System"), ""
        if name.startswith("cli:"):
            return gettext("Command line"), f"flask {name[4:]}"
        return name, ""
