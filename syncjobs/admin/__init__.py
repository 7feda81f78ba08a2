"""The admin console, one module per model admin."""

from syncjobs.admin import (  # noqa: F401  (registration on import)
    connector,
    cross_reference,
    django_q,
    flow,
    mapping_version,
    notify,
    operations,
    record,
    record_intervention,
    run,
    users,
    value_map,
)
