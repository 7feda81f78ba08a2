"""Plain multi-row INSERTs and UPDATEs for hot paths: the engine's claims, record logs and
cross-references (the K3Cloud sandbox has its own, ``sandbox.k3cloud.store.write_records``).

``bulk_create`` and ``bulk_update`` compile every field of every object through the ORM
(``bulk_update`` one CASE per field and row), which costs more than the database itself at
thousands of rows per batch. Here each value still goes
through its field's ``pre_save`` and ``get_db_prep_save`` (auto timestamps, JSON, the
redacting fields), and the driver gets one statement with many parameter rows.
"""

from django.db import connections, router


def insert_many(model, objects):
    """INSERT ``objects`` of ``model`` (primary keys are not set on them)."""
    if not objects:
        return
    connection = connections[router.db_for_write(model)]
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    rows = [
        [field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields] for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def update_many(model, objects, field_names):
    """UPDATE ``field_names`` of ``objects`` of ``model``: one parameterised statement, executed
    for every row (objects without a primary key are left out)."""
    objects = [obj for obj in objects if obj.pk is not None]
    if not objects:
        return
    connection = connections[router.db_for_write(model)]
    fields = [model._meta.get_field(name) for name in field_names]
    quote = connection.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        quote(model._meta.db_table),
        ", ".join(f"{quote(field.column)} = %s" for field in fields),
        quote(model._meta.pk.column),
    )
    rows = [
        [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in fields] + [obj.pk]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
