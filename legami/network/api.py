"""The network's REST API. Reads are public like the pages (people excepted); every write
calls the module's service, which checks who may do it: a wrong role is 403, an object
outside one's scope 404, a state that forbids it 409 (core.api maps them once)."""

import django_filters
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from legami.core.api import run_service
from legami.core.audit import audit, audit_shown
from legami.core.permissions import PolicyPermission
from legami.territory.api import ComuneCodeField

from . import queries, services
from .models import (
    BodyMember,
    Decision,
    GovernanceBody,
    Meeting,
    Organisation,
    Person,
    Programme,
    ProgrammePartner,
    Relationship,
    Sector,
)
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
    q = django_filters.CharFilter(
        method="search", label="Name (any part), codice fiscale or partita IVA"
    )
    sector = django_filters.ChoiceFilter(choices=Sector.choices)
    comune = django_filters.CharFilter(field_name="comune__istat_code")
    province = django_filters.CharFilter(field_name="comune__province__code")

    class Meta:
        model = Organisation
        fields = ["q", "sector", "comune", "province"]

    def search(self, queryset, name, value):
        return queries.search_organisations(text=value, organisations=queryset)


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
        relationship = run_service(
            services.relationship_create, by=request.user, **serializer.validated_data
        )
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


# --- governance bodies ----------------------------------------------------------------------
class CreateOnlyFieldsMixin:
    """Fields that name what an object belongs to (its body, its meeting): given on create,
    read-only afterwards (moving a meeting to another body is another meeting)."""

    create_only: tuple[str, ...] = ()

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:
            for name in self.create_only:
                fields[name].read_only = True
        return fields


class BodyMemberSerializer(CreateOnlyFieldsMixin, serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    create_only = ("body", "organisation")

    class Meta:
        model = BodyMember
        fields = ["id", "body", "organisation", "organisation_name", "person", "seats"]
        validators: list = []  # the service names the clash more clearly

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        # The representative is a person: shown to those who may see people, as on the page.
        if request is None or not policy.allows(request.user, "view_person"):
            data.pop("person", None)
        return data


class DecisionSerializer(CreateOnlyFieldsMixin, serializers.ModelSerializer):
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    create_only = ("meeting",)

    class Meta:
        model = Decision
        fields = ["id", "meeting", "text", "owner", "owner_name", "due_date"]


class MeetingSerializer(CreateOnlyFieldsMixin, serializers.ModelSerializer):
    comune = ComuneCodeField(required=False, allow_null=True)
    attendees = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=Organisation.objects.all()
    )
    decisions = DecisionSerializer(many=True, read_only=True)
    create_only = ("body",)

    class Meta:
        model = Meeting
        fields = ["id", "body", "date", "comune", "agenda", "minutes", "attendees", "decisions"]


class BodySerializer(serializers.ModelSerializer):
    members = BodyMemberSerializer(many=True, read_only=True)
    meetings = MeetingSerializer(many=True, read_only=True)

    class Meta:
        model = GovernanceBody
        fields = ["id", "name", "kind", "programme", "description", "members", "meetings"]


class BodyViewSet(viewsets.ReadOnlyModelViewSet):
    """Governance bodies with their members, meetings, attendance and decisions. Public, as
    the pages are."""

    serializer_class = BodySerializer
    permission_classes = [PolicyPermission]
    policy = policy
    policy_actions = {"list": "view", "retrieve": "view"}
    filterset_fields = ["programme", "kind"]

    def get_queryset(self):
        return queries.bodies_for_api()


WRITES = {
    "list": "view",
    "retrieve": "view",
    "create": "change_body",
    "update": "change_body",
    "partial_update": "change_body",
    "destroy": "change_body",
}


class BodyPartViewSet(viewsets.ModelViewSet):
    """Members, meetings and decisions: read by anyone, written through the governance
    services. Changes and removals find their object among the bodies one may change (404
    otherwise); the services check again, being the rule."""

    permission_classes = [PolicyPermission]
    policy = policy
    policy_actions = WRITES
    body_path = "body"

    def base_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        objects = self.base_queryset()
        if self.action in {"update", "partial_update", "destroy"}:
            bodies = policy.scope(self.request.user, "change_body", GovernanceBody.objects.all())
            objects = objects.filter(**{f"{self.body_path}__in": bodies})
        return objects

    def _current(self, instance) -> dict:
        """The object's writable values, under the service's argument names."""
        raise NotImplementedError

    def update_service(self, instance, data: dict):
        raise NotImplementedError

    def _saved(self, obj, status_code=status.HTTP_200_OK):
        return Response(self.get_serializer(obj).data, status=status_code)

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = self.get_serializer(
            instance, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        data = {**self._current(instance), **serializer.validated_data}
        return self._saved(self.update_service(instance, data))


class BodyMemberViewSet(BodyPartViewSet):
    serializer_class = BodyMemberSerializer
    filterset_fields = ["body", "organisation"]

    def base_queryset(self):
        return BodyMember.objects.select_related("organisation").order_by("body", "pk")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        member = run_service(services.body_member_add, by=request.user, **serializer.validated_data)
        return self._saved(member, status.HTTP_201_CREATED)

    def _current(self, instance):
        return {"person": instance.person, "seats": instance.seats}

    def update_service(self, instance, data):
        return run_service(
            services.body_member_update,
            by=self.request.user,
            member=instance,
            person=data["person"],
            seats=data["seats"],
        )

    def destroy(self, request, *args, **kwargs):
        run_service(services.body_member_remove, by=request.user, member=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeetingViewSet(BodyPartViewSet):
    serializer_class = MeetingSerializer
    filterset_fields = ["body"]

    def base_queryset(self):
        return Meeting.objects.select_related("comune").prefetch_related(
            "attendees", "decisions__owner"
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        meeting = run_service(services.meeting_add, by=request.user, **serializer.validated_data)
        return self._saved(meeting, status.HTTP_201_CREATED)

    def _current(self, instance):
        return {
            "date": instance.date,
            "comune": instance.comune,
            "agenda": instance.agenda,
            "minutes": instance.minutes,
            "attendees": list(instance.attendees.all()),
        }

    def update_service(self, instance, data):
        data.pop("body", None)
        return run_service(services.meeting_update, by=self.request.user, meeting=instance, **data)

    def destroy(self, request, *args, **kwargs):
        run_service(services.meeting_remove, by=request.user, meeting=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class DecisionFilter(django_filters.FilterSet):
    body = django_filters.NumberFilter(field_name="meeting__body")

    class Meta:
        model = Decision
        fields = ["body", "meeting", "owner"]


class DecisionViewSet(BodyPartViewSet):
    serializer_class = DecisionSerializer
    filterset_class = DecisionFilter
    body_path = "meeting__body"

    def base_queryset(self):
        return Decision.objects.select_related("owner")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        decision = run_service(services.decision_add, by=request.user, **serializer.validated_data)
        return self._saved(decision, status.HTTP_201_CREATED)

    def _current(self, instance):
        return {"text": instance.text, "owner": instance.owner, "due_date": instance.due_date}

    def update_service(self, instance, data):
        data.pop("meeting", None)
        return run_service(
            services.decision_update, by=self.request.user, decision=instance, **data
        )

    def destroy(self, request, *args, **kwargs):
        run_service(services.decision_remove, by=request.user, decision=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
