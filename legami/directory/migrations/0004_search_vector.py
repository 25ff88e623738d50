"""PostgreSQL keeps the Italian tsvector of each activity in a column `search_vector`,
maintained by a trigger on every insert or update of search_text (bulk imports included), with a
GIN index on it; the expression index of 0002 is replaced. The column is not a model field: a
model field of that type would stop Django's fast bulk insert on PostgreSQL, and SQLite has no
use for it (it matches stored stems). queries.py reads it by name."""

from django.db import migrations

TRIGGER = "directory_activity_search_vector"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS directory_activity_fts")
    schema_editor.execute(
        "ALTER TABLE directory_activity ADD COLUMN IF NOT EXISTS search_vector tsvector"
    )
    schema_editor.execute(
        f"CREATE TRIGGER {TRIGGER} BEFORE INSERT OR UPDATE OF search_text ON directory_activity "
        "FOR EACH ROW EXECUTE FUNCTION "
        "tsvector_update_trigger(search_vector, 'pg_catalog.italian', search_text)"
    )
    schema_editor.execute(
        "UPDATE directory_activity SET search_vector = "
        "to_tsvector('pg_catalog.italian', COALESCE(search_text, ''))"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS directory_activity_search_vector_gin "
        "ON directory_activity USING GIN (search_vector)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON directory_activity")
    schema_editor.execute("ALTER TABLE directory_activity DROP COLUMN IF EXISTS search_vector")


class Migration(migrations.Migration):
    dependencies = [("directory", "0003_vocabulary")]
    operations = [migrations.RunPython(create, drop)]
