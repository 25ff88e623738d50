from django.core.management.base import BaseCommand

from legami.learning import services


class Command(BaseCommand):
    help = (
        "Erase names and e-mails of training registrations older than the retention period, "
        "or (--forget EMAIL) every registration of one person."
    )

    def add_arguments(self, parser):
        parser.add_argument("--forget", metavar="EMAIL", help="erase this person's registrations")

    def handle(self, *args, forget=None, **options):
        if forget:
            count = services.registrations_forget(by=None, email=forget)
        else:
            count = services.registrations_expire()
        self.stdout.write(f"{count} registrations erased.")
