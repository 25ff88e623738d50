from django.core.management.base import BaseCommand

from legami.directory.services import refresh_next_sessions


class Command(BaseCommand):
    help = "Move each activity's next session forward (run nightly; safe to run twice)."

    def handle(self, *args, **options):
        self.stdout.write(f"activities updated: {refresh_next_sessions()}")
