"""REST API of the directory (/api/v1/directory/): the same search, services and policy as the
pages. The read-only Open Referral endpoints live in hsds/."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from legami.core.api import run_service
from legami.core.permissions import PolicyPermission
from legami.network.models import Organisation
from legami.territory.api import ComuneCodeField

from . import queries, services
from .forms import ActivitySearchForm
from .models import Activity, ActivityStatus, Place, Schedule, TaxonomyTerm
from .permissions import policy


class TermSerializer(serializers.ModelSerializer):
    taxonomy = serializers.SlugRelatedField(slug_field="code", read_only=True)
    label = serializers.CharField(read_only=True)

    class Meta:
        model = TaxonomyTerm
        fields = ["id", "taxonomy", "code", "name", "name_en", "name_fr", "label", "parent"]


class ScheduleSerializer(serializers.ModelSerializer):
    class Meta:
        model = Schedule
        fields = [
            "id",
            "freq",
            "interval",
            "byday",
            "bymonthday",
            "opens_at",
            "closes_at",
            "valid_from",
            "valid_to",
            "description",
        ]


class PlaceSerializer(serializers.ModelSerializer):
    comune = ComuneCodeField()
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())

    class Meta:
        model = Place
        # What the service writes, plus the record's identity: one list of a place's fields.
        fields = ["id", "organisation", *services.PLACE_FIELDS]


class ActivitySerializer(serializers.ModelSerializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    place = serializers.PrimaryKeyRelatedField(
        queryset=Place.objects.all(), allow_null=True, required=False
    )
    terms = serializers.PrimaryKeyRelatedField(
        queryset=TaxonomyTerm.objects.all(), many=True, required=False
    )
    schedules = ScheduleSerializer(many=True, read_only=True)
    capacity = serializers.IntegerField(allow_null=True, required=False)
    referral_slots = serializers.IntegerField(allow_null=True, required=False)

    class Meta:
        model = Activity
        fields = [
            "id",
            "organisation",
            "place",
            "name",
            "alternate_name",
            "description",
            "status",
            "terms",
            "min_age",
            "max_age",
            "languages",
            "is_free",
            "cost_description",
            "capacity",
            "accepts_referrals",
            "referral_slots",
            "how_to_join",
            "contact_name",
            "email",
            "phone",
            "url",
            "last_verified_on",
            "next_session_at",
            "schedules",
        ]
        read_only_fields = ["status", "is_free", "last_verified_on", "next_session_at"]


SEARCH_PARAMETERS = [
    OpenApiParameter("q", str, description="Words (Italian stemming)"),
    OpenApiParameter("domain", int, many=True, description="Domain term ids"),
    OpenApiParameter("need", int, many=True, description="Need term ids"),
    OpenApiParameter("target", int, many=True, description="Target-group term ids"),
    OpenApiParameter("age", int),
    OpenApiParameter("comune", str, description="Comune name or ISTAT code"),
    OpenApiParameter("radius_km", OpenApiTypes.FLOAT, enum=[5, 10, 15, 25, 50]),
    OpenApiParameter("district", int),
    OpenApiParameter("lat", OpenApiTypes.FLOAT),
    OpenApiParameter("lon", OpenApiTypes.FLOAT),
    OpenApiParameter(
        "weekday",
        str,
        many=True,
        enum=["MO-FR", "MO", "TU", "WE", "TH", "FR", "SA", "SU"],
        description="Any of these days; MO-FR is Monday to Friday.",
    ),
    OpenApiParameter("time_band", str, enum=["morning", "afternoon", "evening"]),
    OpenApiParameter("free", bool),
    OpenApiParameter("access", str, many=True, enum=["wheelchair", "hearing", "sight"]),
    OpenApiParameter("language", str),
    OpenApiParameter("sort", str, enum=["relevance", "distance", "next", "name"]),
]


@extend_schema_view(list=extend_schema(parameters=SEARCH_PARAMETERS))
class ActivityViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Published activities for everyone; providers and territory admins create and edit
    their own (new ones start as drafts)."""

    serializer_class = ActivitySerializer
    permission_classes = [PolicyPermission]
    policy = policy
    policy_actions = {
        "list": "view",
        "retrieve": "view",
        "create": "manage_listings",
        "update": "manage_listings",
        "partial_update": "manage_listings",
    }

    def get_queryset(self):
        if self.action in {"update", "partial_update"}:
            return policy.scope(self.request.user, "manage_listings", Activity.objects.all())
        return (
            queries.visible_activities(self.request.user)
            .prefetch_related("terms", "schedules")
            .order_by("pk")
        )

    def list(self, request, *args, **kwargs):
        vocabulary = queries.cached_vocabulary()
        form = ActivitySearchForm(request.query_params, vocabulary=vocabulary)
        if not form.is_valid():
            return Response(form.errors, status=status.HTTP_400_BAD_REQUEST)
        terms = [t for group in vocabulary.values() for t in group]
        activities = queries.search_activities(form.search(), terms).prefetch_related("schedules")
        page = self.paginate_queryset(activities)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def _save(self, serializer, activity=None):
        data = dict(serializer.validated_data)
        if activity is None:
            return run_service(services.activity_create, by=self.request.user, **data)
        data.pop("organisation", None)
        return run_service(
            services.activity_update, by=self.request.user, activity=activity, **data
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        activity = self._save(serializer)
        return Response(self.get_serializer(activity).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        activity = self.get_object()
        serializer = self.get_serializer(
            activity, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        activity = self._save(serializer, activity)
        return Response(self.get_serializer(activity).data)


class PlaceViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Places where published activities happen; providers manage their organisations'."""

    serializer_class = PlaceSerializer
    permission_classes = [PolicyPermission]
    policy = policy
    policy_actions = {
        "list": "view",
        "retrieve": "view",
        "create": "manage_places",
        "update": "manage_places",
        "partial_update": "manage_places",
    }

    def get_queryset(self):
        if self.action in {"update", "partial_update"}:
            return policy.scope(self.request.user, "manage_places", Place.objects.all())
        public = Place.objects.filter(activities__status=ActivityStatus.PUBLISHED).values("pk")
        places = Place.objects.filter(pk__in=public)
        if self.request.user.is_authenticated and policy.allows(self.request.user, "manage_places"):
            own = policy.scope(self.request.user, "manage_places", Place.objects.all()).values("pk")
            places = Place.objects.filter(pk__in=public) | Place.objects.filter(pk__in=own)
        return places.select_related("comune").order_by("pk")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        place = run_service(services.place_create, by=request.user, **serializer.validated_data)
        return Response(self.get_serializer(place).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        place = self.get_object()
        serializer = self.get_serializer(
            place, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("organisation", None)
        place = run_service(services.place_update, by=request.user, place=place, **data)
        return Response(self.get_serializer(place).data)


class TermViewSet(viewsets.ReadOnlyModelViewSet):
    """The vocabularies (domains, needs, target groups) with their Italian, English and French
    labels."""

    serializer_class = TermSerializer
    permission_classes = [PolicyPermission]
    policy = policy
    policy_actions = {"list": "view", "retrieve": "view"}
    queryset = TaxonomyTerm.objects.select_related("taxonomy").order_by("taxonomy__code", "pk")
