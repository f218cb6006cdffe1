"""The department tree as plain data, cached per process (see intranet.runtime).

Scopes ("a head sees their department's records") and approver selectors
("the requester's department head, moving up") walk this tree many times per
request; holding it in memory keeps those walks free of queries.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Department


@dataclass(frozen=True)
class DepartmentNode:
    id: int
    name: str
    code: str
    parent_id: int | None
    head_id: int | None
    vp_id: int | None
    active: bool


class OrgChart:
    def __init__(self, nodes: list[DepartmentNode]):
        self.nodes = {node.id: node for node in nodes}
        self._children: dict[int | None, list[int]] = {}
        for node in nodes:
            self._children.setdefault(node.parent_id, []).append(node.id)
        self._by_code = {node.code: node.id for node in nodes}

    def get(self, department_id: int | None) -> DepartmentNode | None:
        return self.nodes.get(department_id)

    def by_code(self, code: str) -> DepartmentNode | None:
        return self.nodes.get(self._by_code.get(code))

    def children(self, department_id: int | None) -> list[int]:
        return self._children.get(department_id, [])

    def subtree(self, department_id: int) -> set[int]:
        """The department and everything below it."""
        found, stack = set(), [department_id]
        while stack:
            current = stack.pop()
            if current in found:
                continue
            found.add(current)
            stack.extend(self.children(current))
        return found

    def ancestors(self, department_id: int | None) -> Iterator[DepartmentNode]:
        """The department itself, then its parent, up to the root."""
        seen = set()
        node = self.nodes.get(department_id)
        while node is not None and node.id not in seen:
            seen.add(node.id)
            yield node
            node = self.nodes.get(node.parent_id)

    def in_charge_of(self, user_id: int) -> set[int]:
        """Departments a user heads or is the vice president in charge of, with
        everything below them (whose records they see)."""
        result: set[int] = set()
        for node in self.nodes.values():
            if user_id in (node.head_id, node.vp_id):
                result |= self.subtree(node.id)
        return result

    def heads_upward(self, department_id: int | None) -> Iterator[int]:
        """Heads from the department upward, skipping departments without one."""
        for node in self.ancestors(department_id):
            if node.head_id is not None:
                yield node.head_id

    def vp_of(self, department_id: int | None) -> int | None:
        """The vice president in charge: the nearest one set on the way up."""
        for node in self.ancestors(department_id):
            if node.vp_id is not None:
                return node.vp_id
        return None

    def path_names(self, department_id: int | None) -> list[str]:
        return [node.name for node in reversed(list(self.ancestors(department_id)))]

    def tree(self) -> list[tuple[int, DepartmentNode]]:
        """(depth, node) in display order, for indented lists and pickers."""
        rows: list[tuple[int, DepartmentNode]] = []

        def walk(parent_id, depth):
            for child in self.children(parent_id):
                rows.append((depth, self.nodes[child]))
                walk(child, depth + 1)

        walk(None, 0)
        return rows


def load_org_chart(session: Session) -> OrgChart:
    """Runtime loader for the department tree."""
    rows = session.execute(select(
        Department.id, Department.name, Department.code, Department.parent_id,
        Department.head_id, Department.vp_id, Department.active,
    ).order_by(Department.sort_order, Department.name))
    return OrgChart([DepartmentNode(*row) for row in rows])
