from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from syncjobs.console.views import language, metrics, webhook

handler403 = "syncjobs.console.views.errors.permission_denied"

urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("i18n/setlang/", language.set_language, name="hub-set-language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/operations/", include("syncjobs.urls")),
    path("admin/console/", include("syncjobs.console.urls")),
    path("admin/", admin.site.urls),
    path("hooks/sync/", webhook.receive, name="sync-webhook"),
    path("metrics", metrics.scrape, name="metrics"),
]

if settings.SANDBOX_ENABLED:
    urlpatterns.append(path("sandbox/", include("sandbox.urls")))
