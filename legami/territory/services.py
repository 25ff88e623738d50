"""Every write of the territory module: each checks that `by` may do it (the module's
policy), validates, writes its audit row and is atomic. `by=None` is the system (the
`load_comuni` command, the demo loader)."""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from legami.core.audit import audit
from legami.core.roles import CITIZEN, effective_role

from .models import Comune, District, InnerAreaClass, Jurisdiction, Province, Region
from .permissions import policy
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
    # Rows of the official files about comuni that no longer exist (merged since): skipped.
    skipped: int = 0


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


# The official files (data/README.md) and Legami's own short form, by column meaning.
COLUMN_NAMES = {
    "istat_code": ("istat_code", "pro_com_t"),
    "latitude": ("latitude", "lat"),
    "longitude": ("longitude", "lon"),
    "class": ("class", "cod_ai_2020"),
    "minutes": ("minutes_to_pole", "minuti_polo"),
    "population": ("population", "popolazione_2020"),
}
# Comuni born since the official files (mergers, a change of province) and the comuni they
# came from, after ISTAT's record of administrative changes: a new comune takes its
# predecessors' inner-area class and, where the files have none, the point of the most
# populous predecessor.
SUCCESSORS = Path(__file__).resolve().parent / "data" / "successori.csv"


def _successors() -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    with SUCCESSORS.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            table.setdefault(row["successor"], []).append(row["predecessor"])
    return table


def _with_successors(rows: list[dict], by_code: dict, combine) -> list[dict]:
    """`rows` plus one row for each comune of today's list that has none but whose
    predecessors have, built by `combine(predecessor rows)`."""
    present = {row["istat_code"].strip().zfill(6): row for row in rows}
    extra = []
    for successor, predecessors in _successors().items():
        found = [present[code] for code in predecessors if code in present]
        if successor in by_code and successor not in present and found:
            extra.append({**combine(found), "istat_code": successor})
    return rows + extra


def _population(row) -> float:
    try:
        return float(row.get("population") or 0)
    except ValueError:
        return 0.0


def _read_keyed_csv(
    path: Path, columns: tuple[str, ...], optional: tuple[str, ...] = ()
) -> list[dict]:
    """Rows keyed by Legami's column names, whichever of the known spellings the file uses."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        found = {
            key: next((name for name in COLUMN_NAMES.get(key, (key,)) if name in header), None)
            for key in (*columns, *optional)
        }
        missing = [key for key in columns if found[key] is None]
        if missing:
            raise ValidationError(
                _("%(file)s lacks the column(s) %(cols)s.")
                % {"file": path.name, "cols": ", ".join(missing)}
            )
        return [
            {key: (row.get(name) or "") for key, name in found.items() if name} for row in reader
        ]


@transaction.atomic
def comuni_load(
    *,
    istat_text: str,
    coordinates: Path | None = None,
    inner_areas: Path | None = None,
    by=None,
) -> LoadReport:
    """Create or update regions, provinces and comuni from ISTAT's list. Idempotent: a second
    run changes nothing; a comune is matched by its ISTAT code."""
    policy.authorize(by, "load_comuni")
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
        report.coordinates, skipped = _load_coordinates(coordinates)
        report.skipped += skipped
    if inner_areas is not None:
        report.inner_areas, skipped = _load_inner_areas(inner_areas)
        report.skipped += skipped
    audit(
        by=by,
        action="update",
        object_type="territory.comune",
        purpose="ISTAT list of comuni loaded",
        changes={
            "created": report.comuni_created,
            "updated": report.comuni_updated,
            "coordinates": report.coordinates,
            "inner_areas": report.inner_areas,
        },
    )
    return report


def _load_coordinates(path: Path) -> tuple[int, int]:
    """Coordinates by ISTAT code: (comuni changed, rows skipped). A code that is not a comune
    of today's list is skipped (the official file predates some mergers), not an error."""
    by_code = {c.istat_code: c for c in Comune.objects.all()}
    changed, skipped = [], 0
    rows = _read_keyed_csv(path, ("istat_code", "latitude", "longitude"))
    # The coordinates file has no population: the first predecessor listed is the seat.
    rows = _with_successors(rows, by_code, lambda found: dict(found[0]))
    for number, row in enumerate(rows, 2):
        comune = by_code.get(row["istat_code"].strip().zfill(6))
        if comune is None:
            skipped += 1
            continue
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
        lat, lon = lat.quantize(Decimal("0.00001")), lon.quantize(Decimal("0.00001"))
        if (comune.latitude, comune.longitude) != (lat, lon):
            comune.latitude, comune.longitude = lat, lon
            changed.append(comune)
    Comune.objects.bulk_update(changed, ["latitude", "longitude"], batch_size=1000)
    return len(changed), skipped


def _merged_inner_area(found: list[dict]) -> dict:
    """A merged comune: the class of its most populous predecessor, and the minutes to the
    pole averaged over the predecessors' residents."""
    largest = max(found, key=_population)
    weights = [(_population(row), row.get("minutes", "").strip()) for row in found]
    weights = [(w, Decimal(m)) for w, m in weights if m]
    total = sum(w for w, _m in weights)
    minutes = (
        str(sum(Decimal(str(w)) * m for w, m in weights) / Decimal(str(total)))
        if total
        else largest.get("minutes", "")
    )
    return {"class": largest["class"], "minutes": minutes}


def _load_inner_areas(path: Path) -> tuple[int, int]:
    """Inner-area class (A–F) and minutes to the nearest pole by ISTAT code:
    (comuni changed, rows skipped)."""
    by_code = {c.istat_code: c for c in Comune.objects.all()}
    changed, skipped = [], 0
    rows = _read_keyed_csv(path, ("istat_code", "class"), optional=("minutes", "population"))
    rows = _with_successors(rows, by_code, _merged_inner_area)
    for number, row in enumerate(rows, 2):
        value = row["class"].strip().upper()
        if value not in InnerAreaClass.values:
            raise ValidationError(
                _("%(file)s, row %(row)s: %(value)s is not an inner-area class (A to F).")
                % {"file": path.name, "row": number, "value": value or "—"}
            )
        minutes = None
        if row.get("minutes", "").strip():
            try:
                minutes = Decimal(row["minutes"].strip()).quantize(Decimal("0.1"))
            except InvalidOperation:
                raise ValidationError(
                    _("%(file)s, row %(row)s: the minutes to the pole are not a number.")
                    % {"file": path.name, "row": number}
                ) from None
            if not 0 <= minutes < 1000:
                raise ValidationError(
                    _("%(file)s, row %(row)s: the minutes to the pole are out of range.")
                    % {"file": path.name, "row": number}
                )
        comune = by_code.get(row["istat_code"].strip().zfill(6))
        if comune is None:
            skipped += 1
            continue
        if (comune.inner_area_class, comune.minutes_to_pole) != (value, minutes):
            comune.inner_area_class, comune.minutes_to_pole = value, minutes
            changed.append(comune)
    Comune.objects.bulk_update(changed, ["inner_area_class", "minutes_to_pole"], batch_size=1000)
    return len(changed), skipped


def _check_comuni_in_scope(by, comuni) -> None:
    if by is None:
        return  # the system works on the whole country
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
    policy.authorize(by, "add_district")
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
    policy.authorize(by, "change_district", district)
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


AREAS = ("region", "province", "district", "comune")


@transaction.atomic
def jurisdiction_grant(
    *, by, user, region=None, province=None, district=None, comune=None
) -> Jurisdiction:
    """Give `user` a part of Italy to work on: exactly one of a region, a province, a district
    or a comune. Everything a territory administrator or a link worker may see and change
    follows from it, so only a superuser grants it, and it is audited."""
    policy.authorize(by, "grant_jurisdiction")
    areas = {"region": region, "province": province, "district": district, "comune": comune}
    chosen = {name: area for name, area in areas.items() if area is not None}
    if len(chosen) != 1:
        raise ValidationError(
            _("Choose exactly one area: a region, a province, a district or a comune.")
        )
    if user is None:
        raise ValidationError({"user": _("Choose the account that works on this area.")})
    if effective_role(user) == CITIZEN:
        raise ValidationError(
            {"user": _("A citizen's account has no territory to work on: change its role first.")}
        )
    if Jurisdiction.objects.filter(user=user, **chosen).exists():
        raise ValidationError(
            _("%(user)s already works on %(area)s.")
            % {"user": user, "area": next(iter(chosen.values()))}
        )
    jurisdiction = Jurisdiction(user=user, **areas)
    jurisdiction.full_clean()
    jurisdiction.save()
    audit(by=by, action="create", obj=jurisdiction, changes={"fields": ["user", *chosen]})
    return jurisdiction


@transaction.atomic
def jurisdiction_revoke(*, by, jurisdiction: Jurisdiction) -> None:
    """Take an area away from its account; the audit row keeps who lost which area."""
    policy.authorize(by, "grant_jurisdiction")
    jurisdiction = Jurisdiction.objects.select_for_update().get(pk=jurisdiction.pk)
    audit(by=by, action="delete", obj=jurisdiction)
    jurisdiction.delete()


def comuni_without_territory_data() -> list[Comune]:
    """Comuni still lacking a point or an inner-area class after a load (newer than the files)."""
    return list(
        Comune.objects.filter(
            Q(latitude__isnull=True) | Q(longitude__isnull=True) | Q(inner_area_class="")
        ).order_by("istat_code")
    )
