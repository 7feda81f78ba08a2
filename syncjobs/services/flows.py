"""Writes to flows outside their admin form: switching them on and off, moving their watermark."""

from syncjobs.models import SyncFlow


def set_enabled(flows, enabled):
    """Enable or disable ``flows``; each save is kept in the flow's history. Returns how many changed."""
    changed = 0
    for flow in flows:
        if flow.enabled != enabled:
            flow.enabled = enabled
            flow.save(update_fields=["enabled", "updated_at"])
            changed += 1
    return changed


def save_incremental_state(flow_id, watermark, boundary_ids):
    """Move a flow's watermark and the ids seen at it, without a history row per run."""
    SyncFlow.objects.filter(pk=flow_id).update(watermark=watermark, boundary_ids=list(boundary_ids))
