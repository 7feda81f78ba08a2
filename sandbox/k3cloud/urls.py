from django.urls import path, re_path

from sandbox.k3cloud import bulk, views

urlpatterns = [
    re_path(r"^(?P<name>[A-Za-z0-9_.]+)\.common\.kdsvc$", views.service),
    path("_sandbox/bulk", bulk.bulk_view),
]
