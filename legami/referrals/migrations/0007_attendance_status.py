"""Attendance says present, absent or excused: existing lines keep what they said (present or
absent), and the database keeps `present` in step with the status."""

from django.db import migrations, models


def from_present(apps, schema_editor):
    Attendance = apps.get_model("referrals", "Attendance")
    Attendance.objects.filter(present=True).update(status="present")
    Attendance.objects.filter(present=False).update(status="absent")


class Migration(migrations.Migration):
    dependencies = [("referrals", "0006_referral_settings_default_programme")]

    operations = [
        migrations.AddField(
            model_name="attendance",
            name="status",
            field=models.CharField(
                choices=[("present", "present"), ("absent", "absent"), ("excused", "excused")],
                default="absent",
                max_length=8,
                verbose_name="attendance",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(from_present, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="attendance",
            constraint=models.CheckConstraint(
                condition=models.Q(("present", True), ("status", "present"))
                | models.Q(("present", False), ("status__in", ["absent", "excused"])),
                name="attendance_present_matches_status",
            ),
        ),
    ]
