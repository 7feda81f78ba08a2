"""``/cgi/corpAccessToken/get/V2``: the corpAccessToken for appId + appSecret + permanentCode."""

from sandbox.fxiaoke import auth, limits
from sandbox.fxiaoke.views.base import endpoint


@endpoint(None)
def corp_access_token(call):
    """The newest token while it is under 6600 s old, else a new one; ``expiresIn`` = seconds left."""
    call.tenant = auth.tenant_for_app(call.body.get("appId"))
    limits.admit_token_request(call)
    auth.check_credentials(call.tenant, call.body)
    token, expires_in, is_new = auth.issue_token(call.tenant, call.now, call.valid_after)
    call.detail = "new token" if is_new else "same token"
    return {"corpAccessToken": token, "corpId": call.tenant.corp_id, "expiresIn": expires_in}
