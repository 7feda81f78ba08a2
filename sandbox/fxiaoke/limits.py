"""The platform's limits: calls per interface in a sliding window, a daily quota, the token endpoint's own limit.

Counted on the sandbox clock from the calls the platform accepted (``ApiHit``), so a test can
scale the limits down with switches and move the clock past a window or a midnight.
"""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.db import transaction

from sandbox.fxiaoke import errors
from sandbox.fxiaoke.errors import ApiError
from sandbox.fxiaoke.models import ApiHit, Tenant
from sandbox.routers import SANDBOX_DB

BEIJING = ZoneInfo("Asia/Shanghai")
TOKEN_PATH = "/cgi/corpAccessToken/get/V2"
KEEP_HITS_MS = 2 * 86_400_000


def admit(call):
    """Count an accepted business call, or refuse it: no quota, quota used up, too frequent."""
    faults = call.faults
    if faults["quota_mode"] == "none":
        raise ApiError(errors.NO_QUOTA, "企业未购买OpenAPI调用资源包", "no Open API quota has been bought")
    with transaction.atomic(using=SANDBOX_DB):
        Tenant.objects.select_for_update().filter(pk=call.tenant.pk).first()  # count and add as one step
        if faults["daily_quota"] and _used_today(call) >= faults["daily_quota"]:
            raise ApiError(
                errors.QUOTA_EXHAUSTED,
                "今日OpenAPI调用次数已用完，将于次日00:00恢复",
                f"the daily quota of {faults['daily_quota']} calls is used up until 00:00 Beijing time",
            )
        window_ms = int(float(faults["rate_window_seconds"]) * 1000)
        if _recent(call, call.operation, window_ms) >= int(faults["rate_limit"]):
            raise ApiError(
                errors.RATE_LIMITED, "接口调用超过限制", "too many calls to this interface, slow down"
            )
        ApiHit.objects.create(tenant=call.tenant, interface=call.operation[:80], at_ms=call.now_ms)


def admit_token_request(call):
    """The token endpoint allows ``token_limit_per_minute`` calls a minute per app [D]."""
    with transaction.atomic(using=SANDBOX_DB):
        Tenant.objects.select_for_update().filter(pk=call.tenant.pk).first()
        limit = int(call.faults["token_limit_per_minute"])
        if _recent(call, TOKEN_PATH, 60_000) >= limit:
            # [invented] the platform's answer is undocumented; it is the rate-limit code here.
            raise ApiError(
                errors.RATE_LIMITED,
                f"获取corpAccessToken过于频繁，每分钟最多{limit}次",
                "corpAccessToken requested too often; cache it until shortly before it expires",
            )
        ApiHit.objects.create(tenant=call.tenant, interface=TOKEN_PATH, at_ms=call.now_ms)
        # Token requests are rare, so they also forget hits no window or quota day can need.
        ApiHit.objects.filter(tenant=call.tenant, at_ms__lt=call.now_ms - KEEP_HITS_MS).delete()


def _recent(call, interface, window_ms):
    return ApiHit.objects.filter(
        tenant=call.tenant,
        interface=interface[:80],
        at_ms__gt=call.now_ms - window_ms,
        at_ms__lte=call.now_ms,
    ).count()


def _used_today(call):
    midnight = datetime.combine(call.now.astimezone(BEIJING).date(), time(0), tzinfo=BEIJING)
    start_ms = int(midnight.timestamp() * 1000)
    return (
        ApiHit.objects.filter(tenant=call.tenant, at_ms__gte=start_ms, at_ms__lt=start_ms + 86_400_000)
        .exclude(interface=TOKEN_PATH)
        .count()
    )
