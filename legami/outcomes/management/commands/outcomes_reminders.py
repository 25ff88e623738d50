from django.core.management.base import BaseCommand

from legami.outcomes import services


class Command(BaseCommand):
    help = (
        "Tell link workers of the well-being follow-ups falling due within a week "
        "(run daily; safe twice)."
    )

    def handle(self, *args, **options):
        sent = services.follow_up_reminders_send()
        self.stdout.write(f"reminders sent: {sent}")
