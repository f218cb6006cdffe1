"""The demo company: ten departments and a person for every core role."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from ..db import utcnow
from .models import Department, Position, Role, User

DEMO_PASSWORD = "demo1234"

#: (code, name, parent code, head username, vp username)
DEPARTMENTS = (
    ("GMO", "总经办", None, "wangjg", "chenzq"),  # the CEO is in charge of the top office
    ("HR", "人力资源部", "GMO", "sunli", "zhaomin"),
    ("FIN", "财务部", "GMO", "wugang", "zhaomin"),
    ("RD", "研发部", "GMO", "chenhao", "liuyang"),
    ("MKT", "市场部", "GMO", "yangfan", "liuyang"),
    ("SALES", "销售部", "GMO", "huanglei", "liuyang"),
    ("PUR", "采购部", "GMO", "machao", "zhaomin"),
    ("WH", "仓库", "PUR", "luojun", "zhaomin"),
    ("LEGAL", "法务部", "GMO", "liangxue", "zhaomin"),
    ("ADMIN", "行政部", "GMO", "songjia", "zhaomin"),
)

#: (username, employee no., name, department code, position, roles)
PEOPLE = (
    ("chenzq", "E0001", "陈志强", "GMO", "首席执行官", ("ceo",)),
    ("wangjg", "E0002", "王建国", "GMO", "总经理", ("general_manager", "dept_head")),
    ("liuyang", "E0003", "刘洋", "GMO", "副总经理", ("vp",)),
    ("zhaomin", "E0004", "赵敏", "GMO", "副总经理", ("vp",)),
    ("sunli", "E0101", "孙丽", "HR", "人力资源经理", ("hr_manager", "dept_head")),
    ("zhouting", "E0102", "周婷", "HR", "人事专员", ("hr_specialist",)),
    ("wugang", "E0201", "吴刚", "FIN", "财务经理", ("finance_manager", "dept_head")),
    ("zhenghua", "E0202", "郑华", "FIN", "主办会计", ("chief_accountant",)),
    ("fengmin", "E0203", "冯敏", "FIN", "会计", ("accountant",)),
    ("chenhao", "E0301", "陈浩", "RD", "研发经理", ("dept_head",)),
    ("zhangwei", "E0302", "张伟", "RD", "软件工程师", ()),
    ("lina", "E0303", "李娜", "RD", "测试工程师", ()),
    ("tangjie", "E0304", "唐杰", "RD", "IT管理员", ("it_admin",)),
    ("yangfan", "E0401", "杨帆", "MKT", "市场经理", ("dept_head",)),
    ("huanglei", "E0501", "黄磊", "SALES", "销售经理", ("dept_head",)),
    ("hejing", "E0502", "何静", "SALES", "销售专员", ("sales",)),
    ("linna", "E0503", "林娜", "SALES", "销售内勤", ("sales_assistant",)),
    ("machao", "E0601", "马超", "PUR", "采购经理", ("dept_head",)),
    ("gaofeng", "E0602", "高峰", "PUR", "采购专员", ("purchaser",)),
    ("luojun", "E0701", "罗军", "WH", "仓库管理员", ("warehouse_keeper", "dept_head")),
    ("liangxue", "E0801", "梁雪", "LEGAL", "法务专员", ("legal", "dept_head")),
    ("songjia", "E0901", "宋佳", "ADMIN", "行政经理", ("dept_head",)),
    ("xiefang", "E0902", "谢芳", "ADMIN", "档案管理员", ("archivist",)),
    ("hanmei", "E0903", "韩梅", "ADMIN", "系统管理员", ("sysadmin",)),
)


@dataclass
class DemoCompany:
    """What modules receive in ``intranet_demo_data``: the people and departments, a
    deterministic ``random``, the time ``now``, and the services modules file their
    demo documents through (``documents``, the document service; ``settings``)."""

    departments: dict[str, Department]
    users: dict[str, User]
    random: random.Random = field(default_factory=lambda: random.Random(2026))
    now: datetime = field(default_factory=utcnow)
    documents: Any = None
    settings: Any = None

    def at(self, moment: datetime) -> None:
        """Let what happens next happen at ``moment`` (a story told in the past)."""
        if self.documents is not None:
            self.documents.now = self.documents.engine.now = moment

    def by_role(self, role: str) -> list[User]:
        return [u for u in self.users.values() if role in u.role_keys]

    def department(self, code: str) -> Department:
        return self.departments[code]


def demo_exists(session: Session) -> bool:
    return session.scalar(select(User.id).where(User.username == PEOPLE[0][0])) is not None


def create_demo_company(session: Session, *, hash_method: str) -> DemoCompany:
    """Create the departments and people (roles must exist: run the install step first)."""
    roles = {role.key: role for role in session.scalars(select(Role))}
    departments = {}
    for code, name, parent, *_ in DEPARTMENTS:
        department = Department(code=code, name=name, sort_order=len(departments),
                                parent=departments.get(parent))
        session.add(department)
        departments[code] = department
    session.flush()
    password_hash = generate_password_hash(DEMO_PASSWORD, method=hash_method)
    positions: dict[tuple[str, str], Position] = {}
    users = {}
    for username, number, name, department_code, position_name, role_keys in PEOPLE:
        position = positions.get((department_code, position_name))
        if position is None:
            position = Position(name=position_name, department=departments[department_code],
                                is_fixed=position_name in ("仓库管理员", "档案管理员", "会计"))
            positions[(department_code, position_name)] = position
        user = User(username=username, employee_no=number, name=name, email=f"{username}@example.com",
                    phone=f"138{number[1:].rjust(8, '0')}", department=departments[department_code],
                    position=position, password_hash=password_hash,
                    roles=[roles[key] for key in ("employee", *role_keys)])
        session.add(user)
        users[username] = user
    session.flush()
    for code, _name, _parent, head, vp in DEPARTMENTS:
        departments[code].head_id = users[head].id
        departments[code].vp_id = users[vp].id if vp else None
    ceo = users["chenzq"]
    for user in users.values():
        if user is ceo:
            continue
        department = user.department
        if department.head_id != user.id:
            user.manager_id = department.head_id
        else:  # a head reports to the head above, the top head to the CEO
            user.manager_id = department.parent.head_id if department.parent else ceo.id
    session.flush()
    return DemoCompany(departments=departments, users=users)


def sign_ins() -> list[tuple[str, str, str]]:
    """(role, user name, name) of the demo people, for `make run` to print."""
    return [(", ".join(roles) or "employee", username, name) for username, _n, name, _d, _p, roles in PEOPLE]
