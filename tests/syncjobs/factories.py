"""Small builders for the sync domain's rows in tests."""

import uuid

from django.utils import timezone

from syncjobs.models import (
    Connector,
    CrossReference,
    FieldMapping,
    RecordStatus,
    SyncFlow,
    SyncRecord,
    SyncRun,
    ValueMap,
    ValueMapEntry,
)

CANARY = "canary-Secret-7f3a9c"


def make_k3cloud(slug="erp", **fields):
    values = {
        "name": f"ERP {slug}",
        "slug": slug,
        "system": "k3cloud",
        "base_url": "https://erp.example.com/k3cloud/",
        "acct_id": "acct01",
        "username": "api_user",
        "auth_mode": "app_secret",
        "app_id": "123456_app",
        "app_secret": CANARY,
        **fields,
    }
    return Connector.objects.create(**values)


def make_fxiaoke(slug="crm", **fields):
    values = {
        "name": f"CRM {slug}",
        "slug": slug,
        "system": "fxiaoke",
        "base_url": "https://open.fxiaoke.com",
        "app_id": "FSAID_1",
        "app_secret": CANARY,
        "permanent_code": CANARY + "-code",
        "open_user_id": "FSUID_" + "A" * 32,
        **fields,
    }
    return Connector.objects.create(**values)


def make_sandbox_k3cloud(base_url, tenant, **fields):
    """A K3Cloud connector signing in by password to a seeded sandbox tenant at ``base_url``.

    The slug is unique across processes, which may share one database (the reliability suite).
    """
    values = {
        "slug": f"erp-{uuid.uuid4().hex[:8]}",
        "base_url": base_url + tenant["server_url"],
        "acct_id": tenant["acct_id"],
        "username": tenant["username"],
        "auth_mode": "password",
        "password": tenant["password"],
        "org_number": tenant["org_number"],
        "timeout": 10,
        **fields,
    }
    return make_k3cloud(**values)


def make_sandbox_fxiaoke(base_url, tenant, **fields):
    """A Fxiaoke connector to a seeded sandbox tenant at ``base_url``, its own rate limit lifted."""
    values = {
        "slug": f"crm-{uuid.uuid4().hex[:8]}",
        "base_url": base_url + tenant["base_url"],
        "app_id": tenant["app_id"],
        "app_secret": tenant["app_secret"],
        "permanent_code": tenant["permanent_code"],
        "open_user_id": tenant["open_user_id"],
        "rate_limit": 100000,
        "timeout": 10,
        **fields,
    }
    return make_fxiaoke(**values)


def make_flow(slug="customers", source=None, target=None, **fields):
    source = source or Connector.objects.filter(system="fxiaoke").first() or make_fxiaoke()
    target = target or Connector.objects.filter(system="k3cloud").first() or make_k3cloud()
    values = {
        "name": slug.title(),
        "slug": slug,
        "source_connector": source,
        "source_object": "AccountObj",
        "target_connector": target,
        "target_object": "BD_Customer",
        **fields,
    }
    return SyncFlow.objects.create(**values)


def make_mapping(flow, target_path, source_path="", transform="direct", params=None, **fields):
    return FieldMapping.objects.create(
        flow=flow,
        target_path=target_path,
        source_path=source_path,
        transform=transform,
        params=params or {},
        **fields,
    )


def make_value_map(slug, entries, name=None, **fields):
    value_map = ValueMap.objects.create(slug=slug, name=name or slug.title(), **fields)
    ValueMapEntry.objects.bulk_create(  # one insert, for the volume tests' thousands of entries
        ValueMapEntry(value_map=value_map, source_value=source, target_value=target)
        for source, target in entries.items()
    )
    return value_map


def make_run(flow, **fields):
    return SyncRun.objects.create(flow=flow, **fields)


def make_records(run, count, **fields):
    now = timezone.now()
    SyncRecord.objects.bulk_create(
        SyncRecord(
            run=run,
            flow=run.flow,
            source_id=f"src-{run.pk}-{i}",
            source_number=f"CUST{i:06d}",
            status=fields.get("status", RecordStatus.SUCCEEDED),
            action=fields.get("action", "create"),
            created_at=now,
            **{k: v for k, v in fields.items() if k not in ("status", "action")},
        )
        for i in range(count)
    )


def make_cross_reference(flow, source_id, target_number, **fields):
    return CrossReference.objects.create(
        flow=flow,
        source_connector=flow.source_connector,
        source_object=flow.source_object,
        source_id=source_id,
        target_connector=flow.target_connector,
        target_object=flow.target_object,
        target_id=fields.pop("target_id", f"t-{source_id}"),
        target_number=target_number,
        **fields,
    )
