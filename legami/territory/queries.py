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


def comuni_in_scope(user) -> QuerySet[Comune]:
    """The comuni a territory administrator works on (all of them for a superuser)."""
    if effective_role(user) == SUPERUSER:
        return Comune.objects.all()
    if not user.is_authenticated:
        return Comune.objects.none()
    areas = Jurisdiction.objects.filter(user=user)
    return Comune.objects.filter(
        Q(province__region__in=areas.values("region"))
        | Q(province__in=areas.values("province"))
        | Q(districts__in=areas.values("district"))
        | Q(pk__in=areas.values("comune"))
    ).distinct()


def districts_with_counts() -> QuerySet[District]:
    return District.objects.annotate(comune_count=Count("comuni")).order_by("name")


def district_in_scope(user, districts: QuerySet[District]) -> QuerySet[District]:
    """Districts an administrator may edit: those whose every comune is in their scope."""
    outside = Comune.objects.exclude(pk__in=comuni_in_scope(user).values("pk"))
    return districts.exclude(comuni__in=outside).distinct()
