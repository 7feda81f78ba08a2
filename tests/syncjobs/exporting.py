"""The export form as a browser would submit it: one format, every field ticked."""


def export_form(resource_class, format_index=0):
    fields = resource_class().get_export_order()
    prefix = resource_class.__name__.lower()
    return {"format": str(format_index), "resource": "0", **{f"{prefix}_{name}": "on" for name in fields}}
