from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from legami.core.audit import audit
from legami.demo import generator

from ._demo_only import refuse_outside_demo


class Command(BaseCommand):
    help = (
        "Generate deterministic made-up directory and referral data for benchmarks: province "
        "(Cremona, 3,000 organisations, 5,000 places, 15,000 activities, 20,000 people, "
        "30,000 referrals) or region (Lombardia, ten times that). Directory rows are marked "
        "extra.generated=true, people by an @generato.legami.example address. Refuses to run "
        "twice unless --replace is given; --if-missing adds only what is missing."
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
            help="add only the parts missing (referrals on an existing directory); do nothing "
            "when all exist",
        )

    def handle(self, *args, scale, seed, replace, if_missing, **options):
        refuse_outside_demo("generate_data")
        chosen = generator.SCALES[scale]
        directory_done = generator.generated_exists()
        referrals_done = generator.referrals_exist()
        responses_done = generator.responses_exist()
        if directory_done or referrals_done:
            counts = {**generator.generated_counts(), **generator.referral_counts()}
            summary = ", ".join(f"{n} {what}" for what, n in counts.items())
            if if_missing and not replace and directory_done and referrals_done:
                if not responses_done:
                    self._responses(seed)
                    return
                self.stdout.write(f"Generated data already present ({summary}); nothing to do.")
                return
            if not replace and not if_missing:
                raise CommandError(
                    f"Generated data already exist ({summary}). Run with --replace to delete "
                    "them and generate again."
                )
        if not generator.comuni_for(chosen).exists():
            self.stdout.write("No comuni for this area yet: loading ISTAT's list first.")
            call_command("load_comuni", stdout=self.stdout)
        # With --if-missing on a database that has the directory already, only the part that
        # is missing (the referrals) is added.
        only_referrals = if_missing and not replace and directory_done
        with transaction.atomic():
            if replace:
                deleted = {
                    "responses": generator.delete_generated_responses(),
                    **generator.delete_generated_referrals(),
                    **generator.delete_generated(),
                }
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
            report = None
            if not only_referrals:
                report = generator.generate(scale=chosen, seed=seed)
            referrals = generator.generate_referrals(scale=chosen, seed=seed)
            responses = generator.generate_responses(seed=seed)
            changes = report.as_dict() if report else {"scale": scale, "seed": seed}
            audit(
                by=None,
                action="create",
                object_type="demo.generated_data",
                object_id=f"{scale}:{seed}",
                changes={**changes, "referrals": referrals.as_dict(), "responses": responses},
            )
        if report:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Generated {scale} data with seed {seed} in {report.seconds} s: "
                    f"{report.comuni} comuni, {report.organisations} organisations, "
                    f"{report.places} places, {report.activities} activities, "
                    f"{report.schedules} schedules, {report.cost_options} cost options, "
                    f"{report.term_links} term links; statuses {report.statuses}."
                )
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {scale} referrals with seed {seed} in {referrals.seconds} s: "
                f"{referrals.districts} districts, {referrals.link_workers} link workers, "
                f"{referrals.prescribers} prescribers, {referrals.people} people, "
                f"{referrals.referrals} referrals, {referrals.events} events, "
                f"{referrals.consents} consents, {referrals.enrolments} enrolments, "
                f"{referrals.attendance} attendance lines; {referrals.caseload} referrals held "
                f"by {generator.BENCH_LINK_WORKER}; statuses {referrals.statuses}."
            )
        )
        self._report_responses(responses)

    def _responses(self, seed):
        with transaction.atomic():
            responses = generator.generate_responses(seed=seed)
            audit(
                by=None,
                action="create",
                object_type="demo.generated_data",
                object_id=f"responses:{seed}",
                changes={"responses": responses},
            )
        self._report_responses(responses)

    def _report_responses(self, responses):
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {responses['responses']} questionnaire responses of "
                f"{responses['people']} people in {responses['seconds']} s."
            )
        )
