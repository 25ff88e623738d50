"""Every write of the territory module."""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from legami.core.audit import audit

from .models import Comune, District, InnerAreaClass, Province, Region
from .queries import comuni_in_scope

# Columns of ISTAT's "Elenco dei comuni italiani" CSV (semicolon separated, Latin-1).
ISTAT_COLUMNS = {
    "region_code": 0,
    "province_code": 1,
    "istat_code": 4,
    "name": 6,
    "region_name": 10,
    "province_name": 11,
    "is_capital": 13,
    "abbreviation": 14,
    "cadastral_code": 19,
}
ISTAT_COLUMN_COUNT = 26


@dataclass
class LoadReport:
    regions: int = 0
    provinces: int = 0
    comuni_created: int = 0
    comuni_updated: int = 0
    coordinates: int = 0
    inner_areas: int = 0


def parse_istat_list(text: str) -> list[dict]:
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    if not rows or len(rows[0]) < ISTAT_COLUMN_COUNT or "Codice Regione" not in rows[0][0]:
        raise ValidationError(_("This is not ISTAT's list of comuni: unexpected header."))
    parsed = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(row):
            continue
        if len(row) < ISTAT_COLUMN_COUNT:
            raise ValidationError(
                _("Row %(row)s of the ISTAT list has %(n)s columns instead of %(expected)s.")
                % {"row": number, "n": len(row), "expected": ISTAT_COLUMN_COUNT}
            )
        parsed.append({key: row[index].strip() for key, index in ISTAT_COLUMNS.items()})
    return parsed


def _read_keyed_csv(path: Path, columns: tuple[str, ...]) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise ValidationError(
                _("%(file)s lacks the column(s) %(cols)s.")
                % {"file": path.name, "cols": ", ".join(missing)}
            )
        return list(reader)


@transaction.atomic
def comuni_load(
    *, istat_text: str, coordinates: Path | None = None, inner_areas: Path | None = None
) -> LoadReport:
    """Create or update regions, provinces and comuni from ISTAT's list. Idempotent: a second
    run changes nothing; a comune is matched by its ISTAT code."""
    rows = parse_istat_list(istat_text)
    report = LoadReport()
    regions = {r.code: r for r in Region.objects.all()}
    for row in rows:
        if row["region_code"] not in regions:
            regions[row["region_code"]] = Region.objects.create(
                code=row["region_code"], name=row["region_name"]
            )
    report.regions = len(regions)
    provinces = {p.code: p for p in Province.objects.all()}
    for row in rows:
        code = row["province_code"]
        if code not in provinces:
            provinces[code] = Province.objects.create(
                code=code,
                name=row["province_name"],
                abbreviation=row["abbreviation"],
                region=regions[row["region_code"]],
            )
    report.provinces = len(provinces)
    existing = {c.istat_code: c for c in Comune.objects.all()}
    to_create, to_update = [], []
    for row in rows:
        values = {
            "name": row["name"],
            "province": provinces[row["province_code"]],
            "cadastral_code": row["cadastral_code"],
            "is_capital": row["is_capital"] == "1",
        }
        comune = existing.get(row["istat_code"])
        if comune is None:
            to_create.append(Comune(istat_code=row["istat_code"], **values))
        elif any(getattr(comune, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(comune, key, value)
            to_update.append(comune)
    Comune.objects.bulk_create(to_create, batch_size=1000)
    Comune.objects.bulk_update(
        to_update, ["name", "province", "cadastral_code", "is_capital"], batch_size=1000
    )
    report.comuni_created, report.comuni_updated = len(to_create), len(to_update)
    if coordinates is not None:
        report.coordinates = _load_coordinates(coordinates)
    if inner_areas is not None:
        report.inner_areas = _load_inner_areas(inner_areas)
    return report


def _load_coordinates(path: Path) -> int:
    by_code = {c.istat_code: c for c in Comune.objects.all()}
    changed = []
    for number, row in enumerate(_read_keyed_csv(path, ("istat_code", "latitude", "longitude")), 2):
        comune = by_code.get(row["istat_code"].zfill(6))
        if comune is None:
            raise ValidationError(
                _("%(file)s, row %(row)s: no comune has ISTAT code %(code)s.")
                % {"file": path.name, "row": number, "code": row["istat_code"]}
            )
        try:
            lat, lon = Decimal(row["latitude"]), Decimal(row["longitude"])
        except InvalidOperation:
            raise ValidationError(
                _("%(file)s, row %(row)s: coordinates are not numbers.")
                % {"file": path.name, "row": number}
            ) from None
        if not (35 <= lat <= 48 and 6 <= lon <= 19):
            raise ValidationError(
                _("%(file)s, row %(row)s: the coordinates are outside Italy.")
                % {"file": path.name, "row": number}
            )
        if (comune.latitude, comune.longitude) != (lat, lon):
            comune.latitude, comune.longitude = lat, lon
            changed.append(comune)
    Comune.objects.bulk_update(changed, ["latitude", "longitude"], batch_size=1000)
    return len(changed)


def _load_inner_areas(path: Path) -> int:
    by_code = {c.istat_code: c for c in Comune.objects.all()}
    changed = []
    for number, row in enumerate(_read_keyed_csv(path, ("istat_code", "class")), 2):
        comune = by_code.get(row["istat_code"].zfill(6))
        value = row["class"].strip().upper()
        if comune is None or value not in InnerAreaClass.values:
            raise ValidationError(
                _("%(file)s, row %(row)s: unknown comune or inner-area class.")
                % {"file": path.name, "row": number}
            )
        if comune.inner_area_class != value:
            comune.inner_area_class = value
            changed.append(comune)
    Comune.objects.bulk_update(changed, ["inner_area_class"], batch_size=1000)
    return len(changed)


def _check_comuni_in_scope(by, comuni) -> None:
    allowed = set(
        comuni_in_scope(by).filter(pk__in=[c.pk for c in comuni]).values_list("pk", flat=True)
    )
    outside = [str(c) for c in comuni if c.pk not in allowed]
    if outside:
        raise ValidationError(
            {"comuni": _("Outside your territory: %(list)s.") % {"list": ", ".join(outside)}}
        )


@transaction.atomic
def district_create(*, by, name: str, kind: str, comuni, description: str = "") -> District:
    comuni = list(comuni)
    if not comuni:
        raise ValidationError({"comuni": _("A district needs at least one comune.")})
    _check_comuni_in_scope(by, comuni)
    district = District(name=name.strip(), kind=kind, description=description)
    district.full_clean()
    district.save()
    district.comuni.set(comuni)
    audit(by=by, action="create", obj=district)
    return district


@transaction.atomic
def district_update(
    *, by, district: District, name: str, kind: str, comuni, description: str = ""
) -> District:
    comuni = list(comuni)
    if not comuni:
        raise ValidationError({"comuni": _("A district needs at least one comune.")})
    _check_comuni_in_scope(by, comuni)
    district = District.objects.select_for_update().get(pk=district.pk)
    changes = {"fields": []}
    for field, value in (("name", name.strip()), ("kind", kind), ("description", description)):
        if getattr(district, field) != value:
            changes["fields"].append(field)
            setattr(district, field, value)
    district.full_clean()
    district.save()
    if set(district.comuni.values_list("pk", flat=True)) != {c.pk for c in comuni}:
        changes["fields"].append("comuni")
        district.comuni.set(comuni)
    audit(by=by, action="update", obj=district, changes=changes)
    return district
