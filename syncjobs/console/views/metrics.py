"""``/metrics``: the hub's figures for a Prometheus server, for a bearer token or a staff login."""

import hmac

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST

from syncjobs.operations import metrics


@require_GET
def scrape(request):
    """The metrics (200); 401 without the right token or a login, 403 for a login without staff status."""
    if _token_accepted(request) or (request.user.is_active and request.user.is_staff):
        return HttpResponse(metrics.exposition(), content_type=CONTENT_TYPE_LATEST)
    if request.user.is_authenticated:
        return HttpResponse(status=403)
    response = HttpResponse(status=401)
    response["WWW-Authenticate"] = 'Bearer realm="metrics"'
    return response


def _token_accepted(request):
    expected = settings.INTEGRATION_HUB_METRICS_TOKEN
    scheme, _space, given = request.headers.get("Authorization", "").partition(" ")
    if not expected or scheme.lower() != "bearer":
        return False
    # Compared in constant time, so the answer's timing tells nothing about the token.
    return hmac.compare_digest(given.strip().encode(), expected.encode())
