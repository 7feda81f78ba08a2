"""Install the built-in scenario flows between a CRM and an ERP connector.

The flows are data (``syncjobs/scenarios/flows.json``) and go in through the same import
the flows admin uses, so what the demo installs is exactly what an administrator imports.
Installing again is safe: flows and value maps that exist already are left untouched, so
an administrator's edits (a value-map entry added, a mapping row changed) survive.

The bundle's rows are not checked against the connectors' metadata as an administrator's file
is: the scenarios may be installed between connectors that cannot be reached yet, and the
shipped rows are checked against the sandboxes' metadata by a test instead.
"""

import tablib
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from syncjobs import scenarios
from syncjobs.models import SyncFlow, System, ValueMap
from syncjobs.resources import SyncFlowResource


def install_scenarios(crm, erp, user=None):
    """Create the scenario flows missing between ``crm`` (Fxiaoke) and ``erp`` (K3Cloud).

    Returns the slugs of the flows created (empty when every flow exists already); raises
    ``ValidationError`` naming the flow and the problem if the bundle does not import.
    """
    _check_systems(crm, erp)
    rows = bundle_rows(crm, erp)
    if not rows:
        return []
    dataset = tablib.Dataset()
    dataset.dict = rows
    with transaction.atomic():
        result = SyncFlowResource(check_metadata=False).import_data(
            dataset, dry_run=False, user=user, raise_errors=True
        )
        if result.has_validation_errors():
            raise ValidationError(_import_problems(result, rows))
    return [row["slug"] for row in rows]


def bundle_rows(crm, erp):
    """The bundle's flows not installed yet, pointed at ``crm`` and ``erp``, without the
    value maps that exist already."""
    slugs = {scenarios.CRM_PLACEHOLDER: crm.slug, scenarios.ERP_PLACEHOLDER: erp.slug}
    existing_flows = set(SyncFlow.objects.values_list("slug", flat=True))
    existing_maps = set(ValueMap.objects.values_list("slug", flat=True))
    rows = []
    for row in scenarios.load_bundle():
        if row["slug"] in existing_flows:
            continue
        row["source_connector"] = slugs[row["source_connector"]]
        row["target_connector"] = slugs[row["target_connector"]]
        row["value_maps"] = [m for m in row["value_maps"] if m["slug"] not in existing_maps]
        rows.append(row)
    return rows


def _check_systems(crm, erp):
    if crm.system != System.FXIAOKE or erp.system != System.K3CLOUD:
        raise ValidationError(
            _(
                "The scenarios connect a Fxiaoke connector (CRM) to a K3Cloud connector (ERP); got %(crm)s and %(erp)s."
            )
            % {"crm": crm, "erp": erp}
        )


def _import_problems(result, rows):
    problems = []
    for invalid in result.invalid_rows:
        slug = rows[invalid.number - 1]["slug"]
        for field, messages in invalid.error_dict.items():
            problems += [f"{slug} · {field}: {message}" for message in messages]
    return problems
