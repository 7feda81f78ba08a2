"""The console's own pages under /admin/operations/, each behind the admin site's login and CSRF checks."""

from django.contrib import admin
from django.urls import path

from syncjobs.console.views import flows, progress

app_name = "operations"

urlpatterns = [
    path("progress/", admin.site.admin_view(progress.progress), name="progress"),
    path("flows/run-all/", admin.site.admin_view(flows.run_all), name="run-all"),
    path("flows/<int:flow_id>/pause/", admin.site.admin_view(flows.pause), name="pause-flow"),
    path("flows/<int:flow_id>/resume/", admin.site.admin_view(flows.resume), name="resume-flow"),
]
