import django_filters
from django.utils.translation import gettext as _
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from legami.core.api import run_service
from legami.core.audit import audit, audit_shown
from legami.core.permissions import PolicyPermission
from legami.territory.api import ComuneCodeField

from . import queries, services
from .models import Organisation, Person, Programme, ProgrammePartner, Relationship, Sector
from .permissions import policy


class OrganisationSerializer(serializers.ModelSerializer):
    comune = ComuneCodeField()

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "sector",
            "tax_code",
            "vat_number",
            "runts_number",
            "comune",
            "address",
            "postcode",
            "email",
            "phone",
            "website",
            "description",
        ]
        # Uniqueness and tax-code rules live in the service, which gives clearer messages.
        validators: list = []
        extra_kwargs = {"tax_code": {"validators": []}, "vat_number": {"validators": []}}


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains")
    sector = django_filters.ChoiceFilter(choices=Sector.choices)
    comune = django_filters.CharFilter(field_name="comune__istat_code")
    province = django_filters.CharFilter(field_name="comune__province__code")

    class Meta:
        model = Organisation
        fields = ["q", "sector", "comune", "province"]


class OrganisationViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    serializer_class = OrganisationSerializer
    permission_classes = [PolicyPermission]
    policy = policy
    policy_actions = {
        "list": "view",
        "retrieve": "view",
        "create": "add_organisation",
        "update": "change_organisation",
        "partial_update": "change_organisation",
    }
    filterset_class = OrganisationFilter

    def get_queryset(self):
        organisations = Organisation.objects.select_related("comune")
        if self.action in {"update", "partial_update"}:
            return policy.scope(self.request.user, "change_organisation", organisations)
        return organisations

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organisation = run_service(
            services.organisation_create, by=request.user, **serializer.validated_data
        )
        return Response(self.get_serializer(organisation).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        organisation = self.get_object()
        serializer = self.get_serializer(
            organisation, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        organisation = run_service(
            services.organisation_update,
            by=request.user,
            organisation=organisation,
            **serializer.validated_data,
        )
        return Response(self.get_serializer(organisation).data)


class RelationshipSerializer(serializers.ModelSerializer):
    class Meta:
        model = Relationship
        fields = ["id", "source", "target", "kind", "start_date", "end_date", "description"]


class RelationshipViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = RelationshipSerializer
    permission_classes = [PolicyPermission]
    policy = policy
    policy_actions = {"list": "view", "retrieve": "view", "create": "change_organisation"}
    queryset = Relationship.objects.all()
    filterset_fields = ["source", "target", "kind"]

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        editable = policy.scope(request.user, "change_organisation", Organisation.objects.all())
        if not editable.filter(pk=data["source"].pk).exists():
            raise serializers.ValidationError(
                {"source": [_("You cannot add relationships for this organisation.")]}
            )
        relationship = run_service(services.relationship_create, by=request.user, **data)
        return Response(self.get_serializer(relationship).data, status=status.HTTP_201_CREATED)


class PartnerSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = ProgrammePartner
        fields = ["organisation", "organisation_name", "role"]


class ProgrammeSerializer(serializers.ModelSerializer):
    partners = PartnerSerializer(many=True, read_only=True)
    comuni = serializers.SlugRelatedField(slug_field="istat_code", many=True, read_only=True)

    class Meta:
        model = Programme
        fields = [
            "id",
            "name",
            "description",
            "start_date",
            "end_date",
            "website",
            "partners",
            "comuni",
        ]


class ProgrammeViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ProgrammeSerializer
    permission_classes = [PolicyPermission]
    policy = policy
    policy_actions = {"list": "view", "retrieve": "view"}
    queryset = Programme.objects.prefetch_related("partners__organisation", "comuni")


class PersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = ["id", "first_name", "last_name", "email", "phone", "is_demo"]


class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    """People are personal data: only administrators, within their territory, and every read
    is written to the access log."""

    serializer_class = PersonSerializer
    permission_classes = [PolicyPermission]
    policy = policy
    policy_actions = {"list": "view_person", "retrieve": "view_person"}

    def get_queryset(self):
        return policy.scope(self.request.user, "view_person", queries.people(self.request.user))

    def list(self, request, *args, **kwargs):
        people = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        audit_shown(by=request.user, purpose="API", objects=people)
        return self.get_paginated_response(self.get_serializer(people, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        person = self.get_object()
        audit(by=request.user, action="view", obj=person, purpose="API")
        return Response(self.get_serializer(person).data)
