"""Organisation: departments, positions, users, the demo company and the person picker."""
from .chart import DepartmentNode, OrgChart
from .demo import DemoCompany
from .lookup import people_by_numbers
from .models import Department, Position, Role, User
from .people import find_people, pinyin_keys
from .picker import PeopleField, PersonField

__all__ = ["DemoCompany", "Department", "DepartmentNode", "OrgChart", "PeopleField", "PersonField", "Position",
           "Role", "User", "find_people", "people_by_numbers", "pinyin_keys"]
