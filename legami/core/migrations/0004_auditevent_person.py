from django.db import migrations, models


class Migration(migrations.Migration):
    """Which referred person a row is about. A nullable column with no default: SQLite adds it
    with ALTER TABLE, without rebuilding the table (a rebuild would drop the append-only
    triggers of 0002)."""

    dependencies = [("core", "0003_notification")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="person_id",
            field=models.PositiveBigIntegerField(blank=True, null=True, verbose_name="person"),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["person_id", "at"], name="auditevent_person_at"),
        ),
    ]
