from django.core.management.base import BaseCommand

from legami.directory.reminders import remind_stale_listings


class Command(BaseCommand):
    help = "E-mail providers the listings not verified for six months (run daily; safe twice)."

    def handle(self, *args, **options):
        sent = remind_stale_listings()
        self.stdout.write(f"reminders queued: {sent}")
