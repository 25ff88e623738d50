"""On PostgreSQL, an Italian full-text index over the words of each activity, written as
Django's SearchVector writes it so that searches use it; SQLite searches
the stored stems instead (see queries.search_activities)."""

from django.db import migrations

INDEX = "directory_activity_fts"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON directory_activity "
            "USING GIN (to_tsvector('italian'::regconfig, COALESCE(search_text, '')))"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(create_index, drop_index)]
