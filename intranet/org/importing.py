"""CSV import of departments and users: all rows or nothing.

Every row is checked with the same rules as the admin forms. Rows may refer
to departments, parents and managers defined further down the same file. When
any row has a problem the report lists them all and nothing is written.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..auth.permissions import MANAGE_ROLES, active_holders, someone_manages_roles
from ..errors import N_, Invalid
from .models import Department, Position, User
from .services import (LAST_ROLE_MANAGER, DepartmentData, UserData, apply_user, check_department, check_user,
                       creates_cycle)

DEPARTMENT_COLUMNS = ("code", "name", "parent_code", "head_employee_no", "vp_employee_no", "sort_order")
USER_COLUMNS = ("employee_no", "username", "name", "email", "phone", "department_code", "position",
                "manager_employee_no", "roles", "language", "active")
MAX_ROWS = 20_000


@dataclass
class RowProblem:
    row: int  # line number in the file, header = 1
    column: str
    message: str
    params: dict = field(default_factory=dict)


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def read_csv(data: bytes, columns: tuple[str, ...], required: tuple[str, ...]) -> list[dict[str, str]]:
    """Decode and parse an uploaded CSV; refuse what is not UTF-8 CSV with our header."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid(N_("The file is not UTF-8 text. In Excel choose “CSV UTF-8” when saving."),
                      field="file") from None
    if "\x00" in text:
        raise Invalid(N_("The file is not a CSV text file."), field="file")
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
        header = [h.strip().lower() for h in (reader.fieldnames or [])]
        missing = [c for c in required if c not in header]
        if missing:
            raise Invalid(N_("The first line must name the columns; missing: %(columns)s."), field="file",
                          columns=", ".join(missing))
        unknown = [c for c in header if c not in columns]
        if unknown:
            raise Invalid(N_("Unknown columns: %(columns)s. Allowed: %(allowed)s."), field="file",
                          columns=", ".join(unknown), allowed=", ".join(columns))
        reader.fieldnames = header
        rows = []
        for row in reader:
            if len(rows) >= MAX_ROWS:
                raise Invalid(N_("At most %(count)s rows per file."), field="file", count=MAX_ROWS)
            if None in row:
                raise Invalid(N_("Line %(line)s has more values than the header has columns."), field="file",
                              line=reader.line_num)
            rows.append({k: (v or "").strip() for k, v in row.items()})
    except csv.Error as exc:
        raise Invalid(N_("The file is not valid CSV: %(reason)s."), field="file", reason=str(exc)) from None
    if not rows:
        raise Invalid(N_("The file has no rows below the header."), field="file")
    return rows


def _problem(report: ImportReport, line: int, column: str, error: Invalid) -> None:
    report.problems.append(RowProblem(line, column, error.message, error.params))


def _duplicates(report: ImportReport, rows: list[dict], column: str) -> None:
    seen: dict[str, int] = {}
    for line, row in enumerate(rows, start=2):
        value = row.get(column, "").lower()
        if not value:
            continue
        if value in seen:
            _problem(report, line, column, Invalid(N_("Also on line %(line)s of this file."), line=seen[value]))
        else:
            seen[value] = line


def import_departments(session: Session, data: bytes) -> ImportReport:
    rows = read_csv(data, DEPARTMENT_COLUMNS, required=("code", "name"))
    report = ImportReport()
    _duplicates(report, rows, "code")
    _duplicates(report, rows, "name")
    existing = {d.code: d for d in session.scalars(select(Department))}
    in_file = {row["code"] for row in rows}
    people = _people(session, rows, ("head_employee_no", "vp_employee_no"))
    for line, row in enumerate(rows, start=2):
        department = existing.get(row["code"])
        for column in ("parent_code",):
            code = row.get(column, "")
            if code and code not in existing and code not in in_file:
                _problem(report, line, column, Invalid(N_("No department has code %(code)s."), code=code))
        for column in ("head_employee_no", "vp_employee_no"):
            number = row.get(column, "")
            if number and number not in people:
                _problem(report, line, column, Invalid(N_("No employee has number %(number)s."), number=number))
        sort_order = row.get("sort_order", "") or "0"
        if not sort_order.lstrip("-").isdigit() or len(sort_order) > 6:
            _problem(report, line, "sort_order", Invalid(N_("Enter a whole number.")))
        data_row = DepartmentData(name=row["name"], code=row["code"],
                                  head_id=people.get(row.get("head_employee_no", "")),
                                  vp_id=people.get(row.get("vp_employee_no", "")))
        for error in check_department(session, data_row, department):
            _problem(report, line, _DEPARTMENT_FIELD_COLUMNS.get(error.field, error.field or ""), error)
    if report.problems:
        return report
    departments = dict(existing)
    for row in rows:  # first pass: create/rename, so parents further down exist
        department = departments.get(row["code"])
        if department is None:
            department = departments[row["code"]] = Department(code=row["code"], name=row["name"])
            session.add(department)
            report.created += 1
        else:
            report.updated += 1
        department.name = row["name"]
        department.sort_order = int(row.get("sort_order") or 0)
        department.head_id = people.get(row.get("head_employee_no", ""))
        department.vp_id = people.get(row.get("vp_employee_no", ""))
    session.flush()
    for row in rows:
        parent = row.get("parent_code", "")
        departments[row["code"]].parent_id = departments[parent].id if parent else None
    session.flush()
    parents = {d.id: d.parent_id for d in departments.values()}
    for line, row in enumerate(rows, start=2):
        department = departments[row["code"]]
        if department.parent_id is not None and creates_cycle(department.id, department.parent_id, parents):
            _problem(report, line, "parent_code", Invalid(N_("A department cannot sit below itself.")))
    return report


def _people(session: Session, rows: list[dict], columns: tuple[str, ...]) -> dict[str, int]:
    numbers = {row.get(c, "") for row in rows for c in columns} - {""}
    if not numbers:
        return {}
    return dict(session.execute(select(User.employee_no, User.id).where(User.employee_no.in_(numbers))).all())


def _flag(value: str) -> bool | None:
    value = value.strip().lower()
    if value in ("", "1", "yes", "y", "true", "是", "在职"):
        return True
    if value in ("0", "no", "n", "false", "否", "离职"):
        return False
    return None


def import_users(session: Session, data: bytes) -> ImportReport:
    rows = read_csv(data, USER_COLUMNS, required=("employee_no", "username", "name"))
    report = ImportReport()
    for column in ("employee_no", "username", "email"):
        _duplicates(report, rows, column)
    by_number = {u.employee_no: u for u in session.scalars(select(User))}
    departments = dict(session.execute(select(Department.code, Department.id)).all())
    positions = dict(session.execute(select(Position.name, Position.id)).all())
    in_file = {row["employee_no"] for row in rows}
    prepared: list[tuple[int, dict, UserData, User | None]] = []
    for line, row in enumerate(rows, start=2):
        user = by_number.get(row["employee_no"])
        active = _flag(row.get("active", ""))
        if active is None:
            _problem(report, line, "active", Invalid(N_("Enter yes or no.")))
        department_code, position = row.get("department_code", ""), row.get("position", "")
        if department_code and department_code not in departments:
            _problem(report, line, "department_code",
                     Invalid(N_("No department has code %(code)s."), code=department_code))
        if position and position not in positions:
            _problem(report, line, "position", Invalid(N_("No position is called %(name)s."), name=position))
        manager = row.get("manager_employee_no", "")
        if manager and manager not in by_number and manager not in in_file:
            _problem(report, line, "manager_employee_no",
                     Invalid(N_("No employee has number %(number)s."), number=manager))
        if manager and manager == row["employee_no"]:
            _problem(report, line, "manager_employee_no", Invalid(N_("Nobody is their own manager.")))
        data_row = UserData(
            username=row["username"], employee_no=row["employee_no"], name=row["name"],
            email=row.get("email", ""), phone=row.get("phone", ""),
            department_id=departments.get(department_code), position_id=positions.get(position),
            language=row.get("language", ""), active=active is not False,
            role_keys=[r.strip() for r in row.get("roles", "").replace(",", ";").split(";") if r.strip()])
        for error in check_user(session, data_row, user):
            _problem(report, line, _USER_FIELD_COLUMNS.get(error.field, error.field or ""), error)
        prepared.append((line, row, data_row, user))
    if report.problems:
        return report
    managing = {holder.id for holder in active_holders(session, MANAGE_ROLES)}
    saved: dict[str, User] = dict(by_number)
    for _line, row, data_row, user in prepared:
        report.created += user is None
        report.updated += user is not None
        saved[row["employee_no"]] = apply_user(session, user or User(), data_row)
    session.flush()
    for _line, row, _data, _user in prepared:
        manager = row.get("manager_employee_no", "")
        saved[row["employee_no"]].manager_id = saved[manager].id if manager else None
    session.flush()
    managers = {u.id: u.manager_id for u in saved.values()}
    for line, row, _data, _user in prepared:
        user = saved[row["employee_no"]]
        if user.manager_id and creates_cycle(user.id, user.manager_id, managers):
            _problem(report, line, "manager_employee_no",
                     Invalid(N_("This would make the employee their own manager's manager.")))
    if managing and not someone_manages_roles(session):
        for line, _row, _data, user in prepared:
            if user is not None and user.id in managing:
                _problem(report, line, "roles", Invalid(LAST_ROLE_MANAGER, name=user.name))
    return report


_DEPARTMENT_FIELD_COLUMNS = {"head_id": "head_employee_no", "vp_id": "vp_employee_no"}
_USER_FIELD_COLUMNS = {"department_id": "department_code", "position_id": "position",
                       "manager_id": "manager_employee_no", "role_keys": "roles"}


def template_csv(columns: tuple[str, ...], example: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows(example)
    return buffer.getvalue()

