"""Metadata for the engine's in-memory systems, which answer no describe or QueryBusinessInfo.

Tests that save mappings of the in-memory customers flow keep what the real systems would say
about its fields in the metadata cache, so the save check has something to compare with.
"""

from django.utils import timezone

from syncjobs.adapters.k3cloud_fields import listed_fields
from syncjobs.models import ObjectMetadata
from syncjobs.queries.metadata import listed_field


def field(path, kind="text", readonly=False, custom=False):
    return {
        "path": path,
        "label": path,
        "type": kind,
        "kind": kind,
        "required": False,
        "readonly": readonly,
        "options": [],
        "ref": "",
        "group": "",
        "custom": custom,
    }


MEMORY_CRM = [
    field("account_no"),
    field("name"),
    field("credit", "number"),
    field("tel"),
    field("account_type"),
]
# The catalogue's customer fields, and the credit limit the in-memory flow writes.
MEMORY_ERP = [listed_field(f) for f in listed_fields("BD_Customer")] + [field("FCreditLimit", "number")]


def keep_metadata(connector, obj, fields):
    ObjectMetadata.objects.update_or_create(
        connector=connector, object_name=obj, defaults={"fields": fields, "fetched_at": timezone.now()}
    )


def keep_memory_metadata(connectors):
    keep_metadata(connectors["crm"], "AccountObj", MEMORY_CRM)
    keep_metadata(connectors["erp"], "BD_Customer", MEMORY_ERP)
