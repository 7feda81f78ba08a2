"""A tenant's people and departments, loaded once per call for validation and ``__r`` companions."""

from functools import cached_property

from sandbox.fxiaoke.schema import ADMIN_USER


class Directory:
    def __init__(self, tenant):
        self.tenant = tenant
        self._user_objects = {}

    @cached_property
    def _employees(self):
        return list(self.tenant.employees.all())

    @cached_property
    def by_user_id(self):
        return {e.user_id: e for e in self._employees}

    @cached_property
    def by_open_user_id(self):
        return {e.open_user_id: e for e in self._employees}

    @cached_property
    def departments(self):
        return {d.dept_id: d for d in self.tenant.departments.all()}

    def employee(self, any_id):
        """The employee with CRM user id ``"1000"`` or openUserId ``FSUID_…`` (legacy payloads use both)."""
        return self.by_user_id.get(any_id) or self.by_open_user_id.get(any_id)

    def user_object(self, any_id):
        """The ``x__r`` companion of an employee field value (built once per call)."""
        if any_id not in self._user_objects:
            self._user_objects[any_id] = self._build_user_object(any_id)
        return self._user_objects[any_id]

    def _build_user_object(self, any_id):
        if any_id == ADMIN_USER:
            return {"id": ADMIN_USER, "name": "系统"}
        person = self.employee(any_id)
        if person is None:
            return {"openUserId": any_id}
        return {"id": person.user_id, "name": person.name, "openUserId": person.open_user_id}

    def department_object(self, dept_id):
        """The ``x__r`` companion of a department field value."""
        department = self.departments.get(_int(dept_id))
        if department is None:
            return {"deptId": str(dept_id)}
        return {
            "deptId": str(department.dept_id),
            "deptName": department.name,
            "parentId": str(department.parent_id or ""),
        }

    def department_name(self, dept_id):
        department = self.departments.get(_int(dept_id))
        return department.name if department else ""


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
