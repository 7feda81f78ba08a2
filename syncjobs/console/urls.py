"""The console's pages, mounted under the admin (``/admin/console/``), namespace ``console``."""

from django.urls import path

from syncjobs.console.views import mapping, records, resync, value_maps, versions
from syncjobs.console.views.base import admin_page

app_name = "console"

urlpatterns = [
    path("records/<int:record_id>/", admin_page(records.timeline), name="record_timeline"),
    path("records/<int:record_id>/rerun/", admin_page(records.rerun_record), name="record_rerun"),
    path("records/<int:record_id>/mark/", admin_page(records.mark_record), name="record_mark"),
    path("records/<int:record_id>/replay/", admin_page(records.replay), name="record_replay"),
    path("flows/<int:flow_id>/failures/", admin_page(records.failures), name="flow_failures"),
    path("flows/<int:flow_id>/failures/rerun/", admin_page(records.rerun_all), name="flow_rerun_all"),
    path(
        "flows/<int:flow_id>/failures/rerun-class/", admin_page(records.rerun_class), name="flow_rerun_class"
    ),
    path("flows/<int:flow_id>/failures/mark/", admin_page(records.mark_many), name="flow_mark"),
    path("flows/<int:flow_id>/mapping/", admin_page(mapping.editor), name="mapping_editor"),
    path("flows/<int:flow_id>/source-records/", admin_page(mapping.source_records), name="source_records"),
    path("connectors/<int:connector_id>/objects/", admin_page(mapping.objects), name="picker_objects"),
    path("connectors/<int:connector_id>/fields/", admin_page(mapping.fields), name="picker_fields"),
    path(
        "connectors/<int:connector_id>/fields/refresh/",
        admin_page(mapping.refresh_fields),
        name="picker_refresh_fields",
    ),
    path("connectors/<int:connector_id>/options/", admin_page(mapping.options), name="picker_options"),
    path("value-maps/<int:map_id>/", admin_page(value_maps.value_map_entries), name="value_map_entries"),
    path("value-maps/<int:map_id>/rerun/", admin_page(value_maps.rerun_concerned), name="value_map_rerun"),
    path("mapping-versions/<int:version_id>/", admin_page(versions.version_detail), name="mapping_version"),
    path(
        "mapping-versions/<int:version_id>/roll-back/",
        admin_page(versions.roll_back),
        name="version_roll_back",
    ),
    path("mapping-versions/<int:version_id>/resync/", admin_page(resync.offer), name="resync_offer"),
]
