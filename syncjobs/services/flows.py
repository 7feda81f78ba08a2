"""Writes to flows outside their admin form: switching them on and off."""


def set_enabled(flows, enabled):
    """Enable or disable ``flows``; each save is kept in the flow's history. Returns how many changed."""
    changed = 0
    for flow in flows:
        if flow.enabled != enabled:
            flow.enabled = enabled
            flow.save(update_fields=["enabled", "updated_at"])
            changed += 1
    return changed
