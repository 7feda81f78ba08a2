"""The address book: employees by mobile or openUserId, employees of a department, departments."""

from sandbox.fxiaoke import errors
from sandbox.fxiaoke.errors import ApiError
from sandbox.fxiaoke.models import Employee
from sandbox.fxiaoke.views.base import endpoint

WHOLE_COMPANY = 999999


def employee_json(person):
    return {
        "openUserId": person.open_user_id,
        "account": person.user_id,
        "name": person.name,
        "nickName": person.name,
        "mobile": person.mobile,
        "email": person.email,
        "position": person.position,
        "isStop": person.is_stop,
        "departmentIds": [person.main_department_id],
        "mainDepartmentId": person.main_department_id,
        "attachingDepartmentIds": [],
    }


def mobile_match_json(person):
    """An ``empList`` entry of getByMobile, shaped as a live reply quoted in public code was
    (ChrisYinCS/GoogleADKLearn, crm/README.md; single-source): ``status`` and ``isActive``
    instead of the ``isStop`` the documented user endpoints carry, ``fullName`` beside
    ``name`` and a list of main departments. Only an active employee was captured
    (``"status": "NORMAL"``); ``"STOP"`` for one who left is the sandbox's [inferred]."""
    return {
        "enterpriseId": int(person.tenant.tenant_id) if person.tenant.tenant_id.isdigit() else 0,
        "openUserId": person.open_user_id,
        "account": person.user_id,
        "fullName": person.name,
        "name": person.name,
        "status": "STOP" if person.is_stop else "NORMAL",
        "mobile": person.mobile,
        "email": person.email,
        "isActive": not person.is_stop,
        "mainDepartmentIds": [person.main_department_id],
        "departmentIds": [person.main_department_id],
    }


@endpoint("corp")
def get_by_mobile(call):
    """``empList``: the employees with this mobile number (empty when none has it).

    The captured reply's envelope reads ``"errorMessage": "success", "errorDescription": "成功"``
    rather than the CRM endpoints' "OK"/"success" (same source as ``mobile_match_json``).
    """
    mobile = call.body.get("mobile")
    if not isinstance(mobile, str) or not mobile:
        raise errors.missing("mobile")
    people = Employee.objects.filter(tenant=call.tenant, mobile=mobile).select_related("tenant")
    call.rows = len(people)
    return {
        "empList": [mobile_match_json(p) for p in people],
        "errorMessage": "success",
        "errorDescription": "成功",
    }


@endpoint("corp")
def get_user(call):
    """One employee by ``openUserId``, its fields at the top level."""
    open_user_id = call.body.get("openUserId")
    person = call.directory.by_open_user_id.get(open_user_id) if isinstance(open_user_id, str) else None
    if person is None:
        raise ApiError(
            errors.OPEN_USER_NOT_FOUND, f"openUserId not found: {call.body.get('openUserId')}", "员工不存在"
        )
    call.rows = 1
    return employee_json(person)


@endpoint("corp")
def simple_list(call):
    """``userList`` of ``{openUserId, name}`` in a department; 999999 is the whole company."""
    people = _members(call)
    return {"userList": [{"openUserId": p.open_user_id, "name": p.name} for p in people]}


@endpoint("corp")
def user_list(call):
    """``userlist`` (sic) with each employee's details, in a department."""
    return {"userlist": [employee_json(p) for p in _members(call)]}


@endpoint("corp")
def department_list(call):
    """``departments`` of ``{id, name, parentId, order, isStop}``."""
    departments = sorted(call.directory.departments.values(), key=lambda d: (d.order, d.dept_id))
    call.rows = len(departments)
    return {
        "departments": [
            {
                "id": d.dept_id,
                "name": d.name,
                "parentId": d.parent_id or 0,
                "order": d.order,
                "isStop": d.is_stop,
            }
            for d in departments
        ]
    }


def _members(call):
    try:
        dept_id = int(call.body.get("departmentId"))
    except (TypeError, ValueError):
        raise errors.missing("departmentId") from None
    departments = call.directory.departments
    if dept_id not in departments:
        raise ApiError(
            errors.DEPARTMENT_NOT_FOUND, f"部门不存在: {dept_id}", f"department {dept_id} does not exist"
        )
    wanted = {dept_id}
    if dept_id == WHOLE_COMPANY or call.body.get("fetchChild") is True:
        wanted = _with_children(dept_id, departments)
    people = [p for p in call.directory.by_user_id.values() if p.main_department_id in wanted]
    call.rows = len(people)
    return people


def _with_children(dept_id, departments):
    wanted, grew = {dept_id}, True
    while grew:
        children = {d.dept_id for d in departments.values() if d.parent_id in wanted}
        grew = not children <= wanted
        wanted |= children
    return wanted
