"""The integration user: the openUserId every CRM call is made as (it sets data permissions)."""

import hashlib

from django.utils.translation import gettext

from connectors.errors import AuthenticationError
from connectors.fxiaoke import paths
from connectors.fxiaoke.errors import SYSTEM

# An employee found by mobile is looked up again after a day (people leave, numbers move).
USER_CACHE_SECONDS = 24 * 3600


class IntegrationUser:
    """The configured openUserId, or the one found once by mobile number and then shared by
    every process of the connector through the connector state."""

    def __init__(self, config, state, api):
        self.config = config
        self.state = state
        self.api = api

    def open_user_id(self):
        if self.config.open_user_id:
            return self.config.open_user_id
        if not self.config.mobile:
            raise AuthenticationError(
                gettext(
                    "No Fxiaoke integration user is set. Enter the openUserId of a CRM "
                    "administrator, or the mobile number to look it up by."
                ),
                system=SYSTEM,
            )
        return self.state.get(self._key()) or self._look_up()

    def _key(self):
        mobile = hashlib.sha256(self.config.mobile.encode()).hexdigest()[:12]
        return f"{self.config.connector_key}:open_user_id:{self.config.tenant_digest}:{mobile}"

    def _look_up(self):
        key = self._key()
        with self.state.lock(key, ttl_seconds=60, wait_seconds=60):
            cached = self.state.get(key)
            if cached:
                return cached
            body = {"mobile": self.config.mobile}
            reply = self.api.call(
                paths.USER_BY_MOBILE, body, context=gettext("the employee lookup by mobile")
            )
            open_user_id = active_employee(reply)
            if not open_user_id:
                raise AuthenticationError(
                    gettext(
                        "Fxiaoke has no active employee with the mobile number %(mobile)s. Check the "
                        "number, or enter the integration user's openUserId instead."
                    )
                    % {"mobile": self.config.mobile},
                    system=SYSTEM,
                    field="mobile",
                )
            self.state.set(key, open_user_id, ttl_seconds=USER_CACHE_SECONDS)
            return open_user_id


def active_employee(reply):
    """The first employee of ``empList`` (top level or under ``data``) who has not left."""
    data = reply.get("data") if isinstance(reply.get("data"), dict) else {}
    for employee in reply.get("empList") or data.get("empList") or []:
        if employee.get("openUserId") and not has_left(employee):
            return employee["openUserId"]
    return None


def has_left(employee):
    """Stopped by either flag: the documented ``isStop``, or ``isActive`` false as a live
    getByMobile reply carries it (with ``status`` "NORMAL" and no ``isStop`` at all)."""
    return bool(employee.get("isStop")) or employee.get("isActive") is False
