"""corpAccessToken issue and check, and who a call is made as.

Token rules [D]: a token lives 7200 s; a request in the first 6600 s of the newest token's
life returns that same token with ``expiresIn`` = the seconds it has left, a later one gets
a new token. Times are the sandbox clock's, so tests move them; ``manage.py sandbox faults
fxiaoke --expire-sessions`` expires every token issued until then.
"""

from datetime import timedelta

from django.db import transaction

from sandbox.fxiaoke import errors, ids
from sandbox.fxiaoke.errors import ApiError
from sandbox.fxiaoke.models import AccessToken, Employee, Tenant
from sandbox.routers import SANDBOX_DB

TOKEN_LIFE = timedelta(seconds=7200)
TOKEN_REUSE = timedelta(seconds=6600)


def tenant_for_app(app_id):
    """The tenant of ``appId``; unknown or missing gets the live 10006 answer, not the table's 20006."""
    tenant = Tenant.objects.filter(app_id=app_id).first() if isinstance(app_id, str) and app_id else None
    if tenant is None:
        raise errors.bad_app_credentials()
    return tenant


def check_credentials(tenant, body):
    """A wrong or missing appSecret (10006, seen live) or permanentCode (20015, documented only)."""
    if body.get("appSecret") != tenant.app_secret:
        raise errors.bad_app_credentials()
    if body.get("permanentCode") != tenant.permanent_code:
        raise ApiError(
            errors.PERMANENT_CODE_ILLEGAL,
            "the parameter permanentCode is missing or illegal",
            "permanentCode 错误",
        )


def issue_token(tenant, now, valid_after):
    """(token, expiresIn, is_new): the newest token while it is young enough, else a new one."""
    with transaction.atomic(using=SANDBOX_DB):
        Tenant.objects.select_for_update().filter(pk=tenant.pk).first()  # one issue at a time
        newest = AccessToken.objects.filter(tenant=tenant).order_by("-issued_at").first()
        is_new = (
            newest is None or not _is_live(newest, now, valid_after) or now - newest.issued_at >= TOKEN_REUSE
        )
        if is_new:
            newest = AccessToken.objects.create(tenant=tenant, token=ids.access_token(), issued_at=now)
    return newest.token, int((newest.issued_at + TOKEN_LIFE - now).total_seconds()), is_new


def _is_live(token, now, valid_after):
    """Younger than 7200 s and issued after the last forced expiry."""
    return token.issued_at > now - TOKEN_LIFE and (valid_after is None or token.issued_at > valid_after)


def tenant_for_token(body, now, valid_after):
    """The tenant whose live corpAccessToken the body carries (with a matching corpId)."""
    token = body.get("corpAccessToken")
    if not token:
        raise errors.token_missing()
    found = AccessToken.objects.select_related("tenant").filter(token=str(token)).first()
    if found is None or not _is_live(found, now, valid_after) or body.get("corpId") != found.tenant.corp_id:
        raise errors.token_invalid()
    return found.tenant


def current_user(tenant, body):
    """The employee named by ``currentOpenUserId``: it sets the call's data permissions."""
    open_user_id = body.get("currentOpenUserId")
    if not isinstance(open_user_id, str) or not open_user_id:
        raise errors.missing("currentOpenUserId")
    user = Employee.objects.filter(tenant=tenant, open_user_id=open_user_id, is_stop=False).first()
    if user is None:
        raise ApiError(
            errors.OPEN_USER_NOT_FOUND,
            f"openUserId not found: {open_user_id}",
            "currentOpenUserId 对应的员工不存在",
        )
    return user
