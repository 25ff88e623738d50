from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from legami.core.audit import audit
from legami.demo import generator


class Command(BaseCommand):
    help = (
        "Generate deterministic made-up directory data for benchmarks: province (Cremona, "
        "3,000 organisations, 5,000 places, 15,000 activities) or region (Lombardia, ten times "
        "that). Every row is marked extra.generated=true. Refuses to run twice unless "
        "--replace is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(generator.SCALES), default="province")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--replace", action="store_true", help="delete earlier generated rows first"
        )
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="do nothing (and succeed) when generated data already exist",
        )

    def handle(self, *args, scale, seed, replace, if_missing, **options):
        chosen = generator.SCALES[scale]
        if generator.generated_exists():
            counts = generator.generated_counts()
            summary = ", ".join(f"{n} {what}" for what, n in counts.items())
            if if_missing and not replace:
                self.stdout.write(f"Generated data already present ({summary}); nothing to do.")
                return
            if not replace:
                raise CommandError(
                    f"Generated data already exist ({summary}). Run with --replace to delete "
                    "them and generate again."
                )
        if not generator.comuni_for(chosen).exists():
            self.stdout.write("No comuni for this area yet: loading ISTAT's list first.")
            call_command("load_comuni", stdout=self.stdout)
        with transaction.atomic():
            if replace:
                deleted = generator.delete_generated()
                if any(deleted.values()):
                    audit(
                        by=None,
                        action="delete",
                        object_type="demo.generated_data",
                        changes={"deleted": deleted},
                    )
                    self.stdout.write(
                        "Deleted earlier generated data: "
                        + ", ".join(f"{n} {what}" for what, n in deleted.items())
                    )
            report = generator.generate(scale=chosen, seed=seed)
            audit(
                by=None,
                action="create",
                object_type="demo.generated_data",
                object_id=f"{scale}:{seed}",
                changes=report.as_dict(),
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {scale} data with seed {seed} in {report.seconds} s: "
                f"{report.comuni} comuni, {report.organisations} organisations, "
                f"{report.places} places, {report.activities} activities, "
                f"{report.schedules} schedules, {report.cost_options} cost options, "
                f"{report.term_links} term links; statuses {report.statuses}."
            )
        )
