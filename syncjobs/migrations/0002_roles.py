"""Create the "Integration admins" and "Finance reviewers" groups with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from syncjobs.services.roles import assign_role_permissions


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now so the
    # groups can hold them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    assign_role_permissions(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=["Integration admins", "Finance reviewers"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("syncjobs", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
        ("connectors", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
