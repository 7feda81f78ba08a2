"""What production shows, printed as JSON: run as ``python production_site.py URL...`` in a fresh
process (``tests.integration_hub.processes.run``) with the production settings under test.

It migrates the hub's database, signs a superuser in and asks for each URL. The static files are
served from the apps, as in development: the manifest storage would need ``collectstatic`` first,
and which static files exist is not what these tests are about.
"""

import json
import sys

import django

django.setup()

from django.conf import settings  # noqa: E402  (after django.setup())
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command, get_commands  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

DEVELOPMENT_STATIC = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def visit(urls):
    call_command("migrate", verbosity=0)
    admin = get_user_model().objects.create_superuser("admin", "admin@example.com", "unused-password")
    client = Client()
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    with override_settings(STORAGES=DEVELOPMENT_STATIC):
        index = client.get("/admin/", secure=True)
        statuses = {url: client.get(url, secure=True).status_code for url in urls}
    return {
        "installed_apps": list(settings.INSTALLED_APPS),
        "databases": sorted(settings.DATABASES),
        "routers": list(settings.DATABASE_ROUTERS),
        "sandbox_command_app": get_commands()["sandbox"],
        "index_status": index.status_code,
        "index": index.content.decode(),
        "statuses": statuses,
    }


if __name__ == "__main__":
    print(json.dumps(visit(sys.argv[1:])))
