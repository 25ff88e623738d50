"""SQLite finds words through an FTS5 index of the stored stems (`search_stems`) instead of a
LIKE scan of every activity: an external-content table kept in step by triggers, bulk imports
included. PostgreSQL has its tsvector (0004) and skips this.

Django rebuilds a SQLite table (new table, copy, rename) for some later migrations, which drops
these triggers: the test `test_sqlite_word_index_follows_every_write` fails if that happens, and
a migration recreating them (this module's `create`) is then due."""

from django.db import migrations

TABLE = "directory_activity_stems"
TRIGGERS = {
    "insert": f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_ai AFTER INSERT ON directory_activity BEGIN
        INSERT INTO {TABLE}(rowid, search_stems) VALUES (new.id, new.search_stems);
    END""",
    "delete": f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_ad AFTER DELETE ON directory_activity BEGIN
        INSERT INTO {TABLE}({TABLE}, rowid, search_stems)
        VALUES ('delete', old.id, old.search_stems);
    END""",
    "update": f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_au
        AFTER UPDATE OF search_stems ON directory_activity BEGIN
        INSERT INTO {TABLE}({TABLE}, rowid, search_stems)
        VALUES ('delete', old.id, old.search_stems);
        INSERT INTO {TABLE}(rowid, search_stems) VALUES (new.id, new.search_stems);
    END""",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5(search_stems, "
        "content='directory_activity', content_rowid='id')"
    )
    for sql in TRIGGERS.values():
        schema_editor.execute(sql)
    schema_editor.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for suffix in ("ai", "ad", "au"):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_{suffix}")
    schema_editor.execute(f"DROP TABLE IF EXISTS {TABLE}")


class Migration(migrations.Migration):
    dependencies = [("directory", "0004_search_vector")]
    operations = [migrations.RunPython(create, drop)]
