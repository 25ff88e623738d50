"""Paths that ended before places were freed at their end still hold their places: free them
as the lifecycle now does (completed: the accepted activity is completed; otherwise withdrawn)."""

from django.db import migrations

ENDED = ("completed", "declined", "unreachable", "closed")
HOLDING = ("pending", "accepted")


def release(apps, schema_editor):
    Enrolment = apps.get_model("referrals", "Enrolment")
    ended = Enrolment.objects.filter(referral__status__in=ENDED, status__in=HOLDING)
    ended.filter(referral__status="completed", status="accepted").update(status="completed")
    ended.filter(status__in=HOLDING).update(status="withdrawn")


class Migration(migrations.Migration):
    dependencies = [("referrals", "0004_beneficiary_possible_duplicate_and_link_codes")]

    operations = [migrations.RunPython(release, migrations.RunPython.noop)]
