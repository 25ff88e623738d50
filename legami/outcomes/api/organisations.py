"""REST API of organisation surveys, event feedback and organisation indicators
(/api/v1/outcomes/surveys/, /indicators/): the same policy, services and queries as the pages."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response as ApiResponse

from legami.core.api import run_service
from legami.core.permissions import PolicyPermission
from legami.core.privacy import SMALL_CELL
from legami.core.views_helpers import id_param
from legami.network.models import Organisation, Programme

from ..models import Purpose
from ..models.indicators import Indicator, IndicatorState
from ..models.surveys import Survey
from ..permissions import policy
from ..queries import indicators as queries_indicators
from ..queries import surveys as queries_surveys
from ..services import surveys as services_surveys


class SurveySerializer(serializers.ModelSerializer):
    instrument = serializers.SlugRelatedField(slug_field="code", read_only=True)
    purpose = serializers.CharField(source="instrument.purpose", read_only=True)

    class Meta:
        model = Survey
        fields = [
            "id",
            "title",
            "instrument",
            "purpose",
            "programme",
            "activity",
            "opens_on",
            "closes_on",
        ]


class ChoiceCountSerializer(serializers.Serializer):
    value = serializers.IntegerField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    share = serializers.FloatField()


class ResultRowSerializer(serializers.Serializer):
    number = serializers.IntegerField(source="item.number")
    kind = serializers.CharField(source="item.kind")
    text = serializers.CharField(source="item.localised_text")
    answered = serializers.IntegerField()
    mean = serializers.FloatField(allow_null=True)
    choices = ChoiceCountSerializer(many=True)
    texts = serializers.ListField(child=serializers.CharField())


class SurveyResultsSerializer(serializers.Serializer):
    responses = serializers.IntegerField()
    organisations = serializers.SerializerMethodField()
    rows = ResultRowSerializer(many=True)

    def get_organisations(self, results) -> list[str]:
        return [o.name for o in results["organisations"]]


class OrganisationAnswerSerializer(serializers.Serializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    answers = serializers.DictField(
        child=serializers.JSONField(allow_null=True),
        help_text="Item number -> answer, as for a person's questionnaire.",
    )


class SurveyViewSet(viewsets.ReadOnlyModelViewSet):
    """Organisation surveys and event-feedback rounds; `results` counts their answers."""

    serializer_class = SurveySerializer
    permission_classes = [PolicyPermission]
    policy = policy
    policy_actions = {
        "list": "surveys",
        "retrieve": "surveys",
        "results": "surveys",
        "answer": "survey_answer",
    }
    queryset = Survey.objects.select_related("instrument").order_by("-opens_on", "-pk")

    def get_queryset(self):
        if self.action == "answer":  # membership of the organisation is checked in `answer`
            return self.queryset.filter(instrument__purpose=Purpose.ORGANISATION)
        return policy.scope(self.request.user, "surveys", self.queryset)

    @extend_schema(responses=SurveyResultsSerializer)
    @action(detail=True)
    def results(self, request, pk=None):
        return ApiResponse(
            SurveyResultsSerializer(queries_surveys.survey_results(self.get_object())).data
        )

    @extend_schema(request=OrganisationAnswerSerializer, responses={201: None})
    @action(
        detail=True,
        methods=["post"],
    )
    def answer(self, request, pk=None):
        survey = self.get_object()
        data = OrganisationAnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        organisation = data.validated_data["organisation"]
        if not Organisation.objects.filter(
            pk=organisation.pk, memberships__person__user=request.user
        ).exists():
            raise serializers.ValidationError(
                {"organisation": [_("You are not a member of this organisation.")]}
            )
        run_service(
            services_surveys.survey_answer_for_organisation,
            by=request.user,
            survey=survey,
            organisation=organisation,
            answers=data.validated_data["answers"],
        )
        return ApiResponse(status=status.HTTP_201_CREATED)


class IndicatorSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="indicator.pk")
    name = serializers.CharField(source="indicator.localised_name")
    area = serializers.CharField(source="indicator.area")
    metric = serializers.CharField(source="indicator.metric")
    unit = serializers.CharField(source="indicator.unit")
    baseline_value = serializers.DecimalField(
        source="indicator.baseline_value", max_digits=12, decimal_places=2
    )
    target_value = serializers.DecimalField(
        source="indicator.target_value", max_digits=12, decimal_places=2
    )
    target_date = serializers.DateField(source="indicator.target_date")
    current = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    as_of = serializers.DateField(allow_null=True)
    progress = serializers.FloatField(allow_null=True)
    state = serializers.ChoiceField(
        choices=IndicatorState.choices,
        help_text=f"Where the indicator stands; hidden: fewer than {SMALL_CELL} people",
    )


class IndicatorViewSet(viewsets.GenericViewSet):
    """A programme's indicators of impact on organisations, with progress towards targets."""

    serializer_class = IndicatorSerializer
    permission_classes = [PolicyPermission]
    policy = policy
    policy_actions = {"list": "indicators_read"}
    queryset = Indicator.objects.none()
    pagination_class = None

    @extend_schema(parameters=[OpenApiParameter("programme", int, required=True)])
    def list(self, request):
        value = request.query_params.get("programme", "")
        chosen = id_param(value)
        programme = Programme.objects.filter(pk=chosen).first() if chosen else None
        if programme is None:
            raise serializers.ValidationError({"programme": [_("Give the id of a programme.")]})
        rows = queries_indicators.programme_indicators(programme)
        return ApiResponse(IndicatorSerializer(rows, many=True).data)
