"""Organisation: departments, positions, users and the demo company."""
from .chart import DepartmentNode, OrgChart
from .demo import DemoCompany
from .lookup import people_by_numbers
from .models import Department, Position, Role, User

__all__ = ["DemoCompany", "Department", "DepartmentNode", "OrgChart", "Position", "Role", "User",
           "people_by_numbers"]
