import difflib
import re

from django.db.models import Count, Q, QuerySet

from legami.core.roles import SUPERUSER, effective_role

from .models import Comune, District, Jurisdiction, Province, Region

_NAME_WITH_PROVINCE = re.compile(r"^(?P<name>.+?)\s*\((?P<abbr>[A-Za-z]{2})\)$")


def regions_with_counts() -> QuerySet[Region]:
    return Region.objects.annotate(
        province_count=Count("provinces", distinct=True),
        comune_count=Count("provinces__comuni", distinct=True),
    ).order_by("code")


def provinces_of(region: Region) -> QuerySet[Province]:
    return region.provinces.annotate(comune_count=Count("comuni")).order_by("name")


def search_comuni(text: str = "", province: Province | None = None) -> QuerySet[Comune]:
    comuni = Comune.objects.select_related("province", "province__region")
    if province is not None:
        comuni = comuni.filter(province=province)
    text = (text or "").strip()
    if text:
        if text.isdigit():
            comuni = comuni.filter(istat_code__startswith=text)
        else:
            comuni = comuni.filter(name__icontains=text)
    return comuni


def resolve_comune(text: str) -> list[Comune]:
    """The comuni a person means by `text`: an ISTAT code, a name, or "Name (PR)"."""
    text = (text or "").strip()
    if not text:
        return []
    comuni = Comune.objects.select_related("province")
    if text.isdigit():
        return list(comuni.filter(istat_code=text.zfill(6)))
    match = _NAME_WITH_PROVINCE.match(text)
    if match:
        return list(
            comuni.filter(name__iexact=match["name"], province__abbreviation__iexact=match["abbr"])
        )
    return list(comuni.filter(name__iexact=text))


def close_comune_name(text: str, names=None) -> str:
    """The comune name closest to a misspelled `text` ("arcidoso" → "Arcidosso"), among
    `names` (every comune's by default), or "" when none is close enough. Compared without
    case; a "Name (PR)" typed is compared by its name."""
    text = (text or "").strip()
    match = _NAME_WITH_PROVINCE.match(text)
    if match:
        text = match["name"]
    if not text or text.isdigit():
        return ""
    if names is None:
        names = Comune.objects.values_list("name", flat=True).distinct()
    by_lower = {name.lower(): name for name in names}
    found = difflib.get_close_matches(text.lower(), by_lower, n=1, cutoff=0.8)
    return by_lower[found[0]] if found else ""


def comuni_in_scope(user) -> QuerySet[Comune]:
    """The comuni a user works on through their jurisdictions (all of them for a superuser).

    The jurisdictions (a handful of rows) are read first and the comuni then selected by
    plain id lists and one subquery, without joins or DISTINCT: this scope sits inside most
    lists of the product."""
    if effective_role(user) == SUPERUSER:
        return Comune.objects.all()
    if not user.is_authenticated:
        return Comune.objects.none()
    areas = list(
        Jurisdiction.objects.filter(user=user).values_list(
            "region_id", "province_id", "district_id", "comune_id"
        )
    )
    if not areas:
        return Comune.objects.none()
    regions, provinces, districts, comuni = (
        [area[i] for area in areas if area[i] is not None] for i in range(4)
    )
    scope = Q(pk__in=comuni) if comuni else Q(pk__in=[])
    if regions:
        scope |= Q(province__region_id__in=regions)
    if provinces:
        scope |= Q(province_id__in=provinces)
    if districts:
        scope |= Q(
            pk__in=District.comuni.through.objects.filter(district_id__in=districts).values(
                "comune_id"
            )
        )
    return Comune.objects.filter(scope)


def districts_with_counts() -> QuerySet[District]:
    return District.objects.annotate(comune_count=Count("comuni")).order_by("name")


def district_in_scope(user, districts: QuerySet[District]) -> QuerySet[District]:
    """Districts an administrator may edit: those whose every comune is in their scope."""
    outside = Comune.objects.exclude(pk__in=comuni_in_scope(user).values("pk"))
    return districts.exclude(comuni__in=outside).distinct()
