import django_filters
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from legami.core.api import IdFilter, run_service
from legami.core.permissions import PolicyPermission

from . import services
from .models import Comune, District, DistrictKind, Province, Region
from .permissions import policy
from .queries import resolve_comune


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name"]


class ProvinceSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Province
        fields = ["code", "name", "abbreviation", "region"]


class ComuneSerializer(serializers.ModelSerializer):
    province = serializers.SlugRelatedField(slug_field="code", read_only=True)
    is_inner_area = serializers.BooleanField(read_only=True)

    class Meta:
        model = Comune
        fields = [
            "istat_code",
            "name",
            "province",
            "cadastral_code",
            "is_capital",
            "latitude",
            "longitude",
            "inner_area_class",
            "is_inner_area",
        ]


class ComuneCodeField(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        super().__init__(slug_field="istat_code", queryset=Comune.objects.all(), **kwargs)

    def to_internal_value(self, data):
        matches = resolve_comune(str(data))
        if len(matches) != 1:
            self.fail("does_not_exist", slug_name=self.slug_field, value=str(data))
        return matches[0]


class DistrictSerializer(serializers.ModelSerializer):
    comuni = ComuneCodeField(many=True)

    class Meta:
        model = District
        fields = ["id", "name", "kind", "description", "comuni"]


class ComuneFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="name")
    province = django_filters.CharFilter(field_name="province__code")
    region = django_filters.CharFilter(field_name="province__region__code")
    district = IdFilter(field_name="districts")

    class Meta:
        model = Comune
        fields = ["q", "province", "region", "district", "inner_area_class"]


class TerritoryReadMixin:
    permission_classes = [PolicyPermission]
    policy = policy
    policy_actions = {"list": "view", "retrieve": "view"}


class RegionViewSet(TerritoryReadMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Region.objects.all()
    serializer_class = RegionSerializer
    lookup_field = "code"


class ProvinceViewSet(TerritoryReadMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Province.objects.select_related("region")
    serializer_class = ProvinceSerializer
    lookup_field = "code"
    filterset_fields = ["region__code"]


class ComuneViewSet(TerritoryReadMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Comune.objects.select_related("province")
    serializer_class = ComuneSerializer
    lookup_field = "istat_code"
    filterset_class = ComuneFilter


class DistrictViewSet(
    TerritoryReadMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    serializer_class = DistrictSerializer
    policy_actions = {
        "list": "view",
        "retrieve": "view",
        "create": "add_district",
        "update": "change_district",
        "partial_update": "change_district",
    }

    def get_queryset(self):
        districts = District.objects.prefetch_related("comuni")
        if self.action in {"update", "partial_update"}:
            return policy.scope(self.request.user, "change_district", districts)
        return districts

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # `kind` may be left out (the model's default); the service wants it named.
        data = {"kind": DistrictKind.SOCIAL, **serializer.validated_data}
        district = run_service(services.district_create, by=request.user, **data)
        return Response(self.get_serializer(district).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        district = self.get_object()
        partial = kwargs.get("partial", False)
        serializer = self.get_serializer(district, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = {
            "name": district.name,
            "kind": district.kind,
            "description": district.description,
            "comuni": list(district.comuni.all()),
            **serializer.validated_data,
        }
        district = run_service(services.district_update, by=request.user, district=district, **data)
        return Response(self.get_serializer(district).data)
