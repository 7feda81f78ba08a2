"""``/cgi/corpAccessToken/get/V2``: the corpAccessToken for appId + appSecret + permanentCode.

Its error answers come from the platform's gateway: an unknown appId or a wrong appSecret gets
10006 with ``errorDescription`` "缺少参数或参数不合法" and an ``open-api-gateway-web/…``
traceId, as a live probe with fake credentials did (fxp/skillify,
skills/fxiaoke/data/probe-log.md P2; single-source; see ``sandbox.fxiaoke.errors``).
"""

from sandbox.fxiaoke import auth, limits
from sandbox.fxiaoke.views.base import endpoint


@endpoint(None, gateway_errors=True)
def corp_access_token(call):
    """The newest token while it is under 6600 s old, else a new one; ``expiresIn`` = seconds left."""
    call.tenant = auth.tenant_for_app(call.body.get("appId"))
    limits.admit_token_request(call)
    auth.check_credentials(call.tenant, call.body)
    token, expires_in, is_new = auth.issue_token(call.tenant, call.now, call.valid_after)
    call.detail = "new token" if is_new else "same token"
    return {"corpAccessToken": token, "corpId": call.tenant.corp_id, "expiresIn": expires_in}
