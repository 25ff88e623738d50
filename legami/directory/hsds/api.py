"""The public read-only Open Referral HSDS 3.x API (/api/hsds/): services, organisations,
service_at_locations, taxonomies and taxonomy terms, paginated the HSDS way. Only published
activities are shown. Documents come from the exporter, so the API and the files agree."""

import datetime as dt
import math

from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_serializer,
    extend_schema_view,
)
from rest_framework import serializers, viewsets
from rest_framework.pagination import BasePagination
from rest_framework.response import Response

from legami.core.permissions import PolicyPermission
from legami.core.views_helpers import BIGINT_MAX, integer_param
from legami.network.models import Organisation

from .. import text
from ..models import Activity, ActivityStatus, Place, Taxonomy, TaxonomyTerm
from ..permissions import policy
from . import exporter
from . import mapping as m

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200


def _positive(request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    value = integer_param(raw, minimum=1)
    if value is None:
        raise serializers.ValidationError(
            {name: [_("Must be a whole number from 1 to %(max)s.") % {"max": BIGINT_MAX}]}
        )
    return value


class HSDSPagination(BasePagination):
    """The HSDS page: total_items, total_pages, page_number, size (items on this page),
    first_page, last_page, empty and contents; query parameters page and per_page."""

    def paginate_queryset(self, queryset, request, view=None):
        self.per_page = min(_positive(request, "per_page", DEFAULT_PER_PAGE), MAX_PER_PAGE)
        self.page_number = _positive(request, "page", 1)
        self.total_items = queryset.count()
        start = (self.page_number - 1) * self.per_page
        if start >= self.total_items:
            # Past the last page: nothing to read, and an offset the database could not take.
            return []
        return list(queryset[start : start + self.per_page])

    def get_paginated_response(self, data):
        total_pages = math.ceil(self.total_items / self.per_page)
        return Response(
            {
                "total_items": self.total_items,
                "total_pages": total_pages,
                "page_number": self.page_number,
                "size": len(data),
                "first_page": self.page_number == 1,
                "last_page": self.page_number >= total_pages,
                "empty": not data,
                "contents": data,
            }
        )

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": name,
                "in": "query",
                "required": False,
                "description": description,
                "schema": {"type": "integer", "minimum": 1},
            }
            for name, description in (
                ("page", "Page number, from 1."),
                ("per_page", f"Results per page, at most {MAX_PER_PAGE}."),
            )
        ]


@extend_schema_serializer(many=False)
class PageSerializer(serializers.Serializer):
    """Documentation only: the shape of an HSDS page."""

    total_items = serializers.IntegerField()
    total_pages = serializers.IntegerField()
    page_number = serializers.IntegerField()
    size = serializers.IntegerField()
    first_page = serializers.BooleanField()
    last_page = serializers.BooleanField()
    empty = serializers.BooleanField()
    contents = serializers.ListField(child=serializers.DictField())


ID = OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="HSDS id")


def _uuid_param(request, name: str) -> str | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    ident = m.as_uuid(raw)
    if ident is None:
        raise serializers.ValidationError({name: ["Not a UUID."]})
    return ident


def _boolean(request, name: str) -> bool:
    return request.query_params.get(name, "").lower() in {"1", "true", "yes"}


def _modified_after(request) -> dt.datetime | None:
    """An ISO 8601 date or date-time; a date means from its start, a time without an offset
    is Italian time."""
    raw = request.query_params.get("modified_after", "").strip()
    if not raw:
        return None
    try:
        # An unescaped "+" of an offset reaches us as a space.
        moment = parse_datetime(raw) or parse_datetime(raw.replace(" ", "+"))
        day = None if moment else parse_date(raw)
    except ValueError:
        moment = day = None
    if day is not None:
        moment = dt.datetime.combine(day, dt.time())
    # Years far from ours overflow when the database turns them into UTC: no listing is
    # that old or that new, so such a date is refused as any bad one.
    if moment is not None and not 1900 <= moment.year <= 2200:
        moment = None
    if moment is None:
        raise serializers.ValidationError(
            {"modified_after": [_("Not a date or a date and time (ISO 8601).")]}
        )
    moment = timezone.make_aware(moment) if timezone.is_naive(moment) else moment
    # In UTC before it reaches the database: PostgreSQL refuses an offset beyond ±15:59, which
    # Python accepts ("-21:21" would abort the request's transaction).
    return moment.astimezone(dt.UTC)


def _refuse(request, names) -> None:
    """Parameters HSDS defines that this directory cannot honour: refused by name rather than
    silently ignored, so a client never reads an unfiltered answer as a filtered one."""
    for name in names:
        if request.query_params.get(name, "") != "":
            raise serializers.ValidationError({name: [_("This parameter is not supported.")]})


def _refuse_true(request, names) -> None:
    for name in names:
        if _boolean(request, name):
            raise serializers.ValidationError(
                {name: [_("Not supported on lists: ask for one record by its id.")]}
            )


def _name_contains(request, queryset, fields=("name",)):
    # A NUL byte cannot travel to PostgreSQL; a search longer than any name is cut.
    words = request.query_params.get("search", "").replace("\x00", " ")[:200].split()
    for word in words:
        match = Q()
        for field in fields:
            match |= Q(**{f"{field}__icontains": word})
        queryset = queryset.filter(match)
    return queryset


def _query(name: str, description: str, kind=OpenApiTypes.STR) -> OpenApiParameter:
    return OpenApiParameter(name, kind, OpenApiParameter.QUERY, description=description)


def _documented(resource: str, filters=()):
    return extend_schema_view(
        list=extend_schema(
            tags=["hsds"],
            summary=f"List {resource}",
            parameters=list(filters),
            responses=PageSerializer,
        ),
        retrieve=extend_schema(
            tags=["hsds"],
            summary=f"One of the {resource}",
            parameters=[ID],
            responses=OpenApiTypes.OBJECT,
        ),
    )


class HSDSViewSet(viewsets.GenericViewSet):
    """List and retrieve for everyone, as the directory's "view" action says."""

    permission_classes = [PolicyPermission]
    policy = policy
    policy_actions = {"list": "view", "retrieve": "view"}
    pagination_class = HSDSPagination
    filter_backends: list = []
    lookup_field = "id"

    def perform_content_negotiation(self, request, force=False):
        # HSDS names a "format" parameter (json, or ndjson streamed): DRF reads the same name
        # and answers 404 to a format it has no renderer for; a 400 says what is wrong.
        try:
            return super().perform_content_negotiation(request, force)
        except Http404:
            raise serializers.ValidationError({"format": [_("Only json is served.")]}) from None

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_list(self.list_queryset()))
        return self.get_paginated_response(self.list_documents(page))

    def retrieve(self, request, *args, id=None, **kwargs):  # noqa: A002 - HSDS names it id
        document = self.detail_document(str(id))
        if document is None:
            raise Http404
        return Response(document)

    def filter_list(self, queryset):
        return queryset


def published_activities():
    return Activity.objects.filter(status=ActivityStatus.PUBLISHED)


def find_organisation(ident: str) -> Organisation | None:
    found = Organisation.objects.filter(hsds_id=ident).first()
    if found is None:
        # An organisation without an HSDS id is known by a stable id made from its pk.
        for pk in Organisation.objects.filter(hsds_id__isnull=True).values_list("pk", flat=True):
            if m.stable_id("organization", pk) == ident:
                return Organisation.objects.get(pk=pk)
    return found


SERVICE_FILTERS = [
    _query("search", "Words to look for."),
    _query("organization_id", "Services of this organisation.", OpenApiTypes.UUID),
    _query("taxonomy_term_id", "Services with this term.", OpenApiTypes.UUID),
    _query("taxonomy_id", "Services with a term of this taxonomy.", OpenApiTypes.UUID),
    _query(
        "modified_after",
        "Services changed on or after this date or date-time (ISO 8601; Italian time when "
        "no offset is given).",
        OpenApiTypes.DATETIME,
    ),
    _query("full", "Fully nested services.", OpenApiTypes.BOOL),
]


def filter_services(request, activities):
    """The HSDS service filters, on activities (services and service_at_locations alike)."""
    ident = _uuid_param(request, "organization_id")
    if ident:
        activities = activities.filter(organisation=find_organisation(ident))
    for name, lookup in (
        ("taxonomy_term_id", "terms__hsds_id"),
        ("taxonomy_id", "terms__taxonomy__hsds_id"),
    ):
        ident = _uuid_param(request, name)
        if ident:
            activities = activities.filter(pk__in=Activity.objects.filter(**{lookup: ident}))
    since = _modified_after(request)
    if since is not None:
        activities = activities.filter(updated_at__gte=since)
    for word in text.words(request.query_params.get("search", "")):
        activities = activities.filter(search_text__contains=word)
    return activities


@_documented(
    "services",
    [
        *SERVICE_FILTERS,
        _query("minimal", "Only each service's id and last_modified.", OpenApiTypes.BOOL),
    ],
)
class ServiceViewSet(HSDSViewSet):
    """Published activities as HSDS services: one-to-one fields in lists, fully nested alone."""

    def list_queryset(self):
        activities = published_activities().select_related("organisation").order_by("name", "pk")
        if _boolean(self.request, "full"):
            activities = exporter.activities_queryset(activities)
        return activities

    def filter_list(self, activities):
        return filter_services(self.request, activities)

    def list_documents(self, activities):
        if _boolean(self.request, "minimal"):
            return [
                {"id": str(a.hsds_id), "last_modified": m.iso_datetime(a.updated_at)}
                for a in activities
            ]
        if _boolean(self.request, "full"):
            places = exporter.other_places(activities)
            return [exporter.service_doc(a, places=places) for a in activities]
        return [exporter.service_doc(a, full=False) for a in activities]

    def detail_document(self, ident):
        activities = exporter.activities_queryset(published_activities().filter(hsds_id=ident))
        activity = activities.first()
        return exporter.service_doc(activity) if activity else None


@_documented(
    "organizations",
    [
        _query("search", "Organisations whose name contains these words."),
        _query("full_service", "Full services (one organisation only).", OpenApiTypes.BOOL),
    ],
)
class OrganizationViewSet(HSDSViewSet):
    """Organisations; one alone carries its locations and its published services."""

    def list_queryset(self):
        return Organisation.objects.order_by("name", "pk")

    def filter_list(self, organisations):
        # Nesting is served for one organisation at a time, not for a page of them.
        _refuse_true(self.request, ("full", "full_service"))
        return _name_contains(self.request, organisations)

    def list_documents(self, organisations):
        return [exporter._one_to_one(exporter.organization_doc(o)) for o in organisations]

    def detail_document(self, ident):
        organisation = find_organisation(ident)
        if organisation is None:
            return None
        places = exporter.places_queryset(Place.objects.filter(organisation=organisation))
        activities = published_activities().filter(organisation=organisation)
        if _boolean(self.request, "full_service"):
            activities = list(exporter.activities_queryset(activities))
            services = [
                exporter.service_doc(a, places=exporter.other_places(activities))
                for a in activities
            ]
        else:
            services = [
                exporter.service_doc(a, full=False)
                for a in activities.select_related("organisation")
            ]
        for service in services:
            service.pop("organization", None)
        return exporter.organization_doc(organisation, locations=places, services=services)


@_documented("service_at_locations", SERVICE_FILTERS)
class ServiceAtLocationViewSet(HSDSViewSet):
    """One service_at_location per published activity at its place; a detail request also
    finds the other locations an HSDS import kept for an activity."""

    def list_queryset(self):
        activities = published_activities().filter(place__isnull=False)
        if _boolean(self.request, "full"):
            return exporter.activities_queryset(activities).order_by("name", "pk")
        return activities.select_related(
            "organisation", "place__organisation", "place__comune__province"
        ).order_by("name", "pk")

    def filter_list(self, activities):
        # Service areas are not modelled, so there is no postcode to check coverage against.
        _refuse(self.request, ("postcode", "proximity"))
        return filter_services(self.request, activities)

    def list_documents(self, activities):
        if _boolean(self.request, "full"):
            places = exporter.other_places(activities)
            return [
                exporter.sal_doc(a, exporter.sal_links(a)[0], places=places) for a in activities
            ]
        return [
            exporter.sal_doc(a, exporter.sal_links(a)[0], full=False, places={}) for a in activities
        ]

    def detail_document(self, ident):
        candidates = published_activities().filter(extra__icontains=ident)
        for activity in exporter.activities_queryset(candidates):
            for link in exporter.sal_links(activity):
                if link.get("id") == ident:
                    return exporter.sal_doc(activity, link)
        # Made-up ids of activities at their place: uuid5 of the activity and the place.
        pairs = published_activities().filter(place__isnull=False)
        for pk, activity_id, place_id in pairs.values_list("pk", "hsds_id", "place__hsds_id"):
            link = m.synth_sal(str(activity_id), str(place_id))
            if link["id"] == ident:
                activity = exporter.activities_queryset(Activity.objects.filter(pk=pk)).get()
                return exporter.sal_doc(activity, link)
        return None


NAME_SEARCH = _query("search", "Names (Italian, English or French) containing these words.")
NAMES = ("name", "name_en", "name_fr")


@_documented("taxonomies", [NAME_SEARCH])
class TaxonomyViewSet(HSDSViewSet):
    """The vocabularies that classify services."""

    def list_queryset(self):
        return Taxonomy.objects.order_by("code")

    def filter_list(self, taxonomies):
        return _name_contains(self.request, taxonomies, NAMES)

    def list_documents(self, taxonomies):
        return [exporter.taxonomy_doc(t) for t in taxonomies]

    def detail_document(self, ident):
        taxonomy = Taxonomy.objects.filter(hsds_id=ident).first()
        return exporter.taxonomy_doc(taxonomy) if taxonomy else None


@_documented(
    "taxonomy_terms",
    [
        _query("taxonomy_id", "Terms of this taxonomy.", OpenApiTypes.UUID),
        _query("parent_id", "Terms under this term.", OpenApiTypes.UUID),
        _query("top_only", "Only terms without a parent.", OpenApiTypes.BOOL),
        NAME_SEARCH,
    ],
)
class TaxonomyTermViewSet(HSDSViewSet):
    """The terms of the vocabularies, with their taxonomy."""

    def list_queryset(self):
        return TaxonomyTerm.objects.select_related("taxonomy", "parent")

    def filter_list(self, terms):
        for name, lookup in (
            ("taxonomy_id", "taxonomy__hsds_id"),
            ("parent_id", "parent__hsds_id"),
        ):
            ident = _uuid_param(self.request, name)
            if ident:
                terms = terms.filter(**{lookup: ident})
        if _boolean(self.request, "top_only"):
            terms = terms.filter(parent__isnull=True)
        return _name_contains(self.request, terms, NAMES)

    def list_documents(self, terms):
        return [exporter.term_doc(t) for t in terms]

    def detail_document(self, ident):
        term = self.list_queryset().filter(hsds_id=ident).first()
        return exporter.term_doc(term) if term else None


class RootViewSet(viewsets.GenericViewSet):
    """What this API is: the HSDS version and where its OpenAPI description lives."""

    permission_classes = [PolicyPermission]
    policy = policy
    policy_actions = {"list": "view"}
    pagination_class = None
    filter_backends: list = []

    @extend_schema(tags=["hsds"], summary="About this HSDS API", responses=OpenApiTypes.OBJECT)
    def list(self, request, *args, **kwargs):
        return Response(
            {
                "version": m.HSDS_VERSION,
                "openapi_url": request.build_absolute_uri("/api/schema/"),
            }
        )
