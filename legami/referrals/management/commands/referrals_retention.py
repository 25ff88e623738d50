from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from legami.referrals import retention, services


class Command(BaseCommand):
    help = (
        "Anonymise the people whose referrals all ended more than N days ago (run daily; safe "
        "twice: anonymised people are skipped)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="keep closed cases this many days (default: REFERRALS_RETENTION_DAYS)",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="only count the people who would be anonymised",
        )

    def handle(self, *args, days, dry_run, **options):
        try:
            days = retention.days_checked(days)
            if dry_run:
                count = retention.retention_candidates(older_than_days=days).count()
                self.stdout.write(f"would anonymise: {count} (dry run, nothing changed)")
                return
            count = services.retention_run(older_than_days=days)
        except ValidationError as error:
            raise CommandError("--days: " + "; ".join(error.messages)) from error
        self.stdout.write(f"anonymised: {count}")
