from django.core.management.base import BaseCommand

from legami.referrals import services


class Command(BaseCommand):
    help = (
        "Remind providers of referrals left unanswered, then return them to the link worker "
        "(run daily; safe twice)."
    )

    def handle(self, *args, **options):
        reminded, returned = services.chase_unanswered()
        self.stdout.write(f"reminded {reminded}, returned {returned}")
