"""Plain multi-row INSERTs for the engine's hot paths (claims, record logs).

``bulk_create`` compiles every field of every object through the ORM, which costs more
than the database itself at thousands of rows per batch. Here each value still goes
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
