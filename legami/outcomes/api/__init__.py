"""REST API of impact measurement (/api/v1/outcomes/): the instrument library (public), a
person's questionnaires for their link worker, and the impact figures (suppressed as on the
dashboard). The same policy, services and queries as the pages."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.response import Response as ApiResponse
from rest_framework.routers import SimpleRouter

from legami.core.api import run_service
from legami.core.audit import audit
from legami.core.permissions import PolicyPermission
from legami.network.models import Programme
from legami.referrals.models import Referral

from .. import queries, questions, services
from ..models import Instrument, InstrumentItem, InterpretationBand, Purpose, Response, Timepoint
from ..permissions import policy

ID_PATTERN = r"[0-9]+"


class ItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = InstrumentItem
        fields = [
            "number",
            "text",
            "text_en",
            "text_fr",
            "kind",
            "section",
            "scale_min",
            "scale_max",
            "options",
            "required",
            "reverse",
            "subscale",
        ]

    section = serializers.CharField(source="section.title", default="", read_only=True)


class BandSerializer(serializers.ModelSerializer):
    class Meta:
        model = InterpretationBand
        fields = ["subscale", "low", "high", "label", "label_en", "label_fr", "is_flag"]


class InstrumentSerializer(serializers.ModelSerializer):
    items = ItemSerializer(many=True, read_only=True)
    bands = BandSerializer(many=True, read_only=True)

    class Meta:
        model = Instrument
        fields = [
            "code",
            "name",
            "name_en",
            "name_fr",
            "purpose",
            "licence",
            "source",
            "item_text_licensed",
            "scoring",
            "min_score",
            "max_score",
            "minimal_important_change",
            "higher_is_better",
            "items",
            "bands",
        ]


class ResponseSerializer(serializers.ModelSerializer):
    instrument = serializers.SlugRelatedField(slug_field="code", read_only=True)
    answers = serializers.SerializerMethodField()

    class Meta:
        model = Response
        fields = [
            "id",
            "instrument",
            "timepoint",
            "administered_on",
            "mode",
            "is_complete",
            "raw_score",
            "score",
            "subscale_scores",
            "change",
            "answers",
        ]

    @extend_schema_field(serializers.DictField(child=serializers.JSONField(allow_null=True)))
    def get_answers(self, response) -> dict:
        return {str(a.item.number): questions.stored_answer(a) for a in response.answers.all()}


class ResponseInputSerializer(serializers.Serializer):
    instrument = serializers.SlugRelatedField(
        slug_field="code", queryset=Instrument.objects.filter(is_active=True)
    )
    timepoint = serializers.ChoiceField(choices=Timepoint.choices)
    administered_on = serializers.DateField()
    answers = serializers.DictField(
        child=serializers.JSONField(allow_null=True),
        help_text="Item number -> answer: a number (scale, number, one choice), a list of "
        "option values (several choices), text, or null for a question left unanswered.",
    )


class ImpactParamsSerializer(serializers.Serializer):
    instrument = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Instrument.objects.filter(is_active=True, purpose=Purpose.PERSON).exclude(
            scoring__method="none"
        ),
    )
    timepoint = serializers.ChoiceField(
        choices=[Timepoint.FOLLOW_UP_3M, Timepoint.FOLLOW_UP_6M],
        default=Timepoint.FOLLOW_UP_3M,
    )
    breakdown = serializers.ChoiceField(
        choices=list(queries.DIMENSIONS), required=False, allow_blank=True
    )
    programme = serializers.PrimaryKeyRelatedField(queryset=Programme.objects.all(), required=False)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    subscale = serializers.CharField(
        required=False,
        help_text="Instruments reported question by question (ONS4): the subscale compared.",
    )

    def validate(self, data):
        instrument = data.get("instrument")
        subscale = data.get("subscale")
        if subscale and instrument and subscale not in instrument.subscale_names():
            raise serializers.ValidationError(
                {
                    "subscale": [
                        _("This questionnaire has no question “%(name)s”.") % {"name": subscale}
                    ]
                }
            )
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise serializers.ValidationError(
                {"date_to": [_("The end date comes before the start date.")]}
            )
        return data


class ChangeSerializer(serializers.Serializer):
    n = serializers.IntegerField()
    mean_before = serializers.FloatField()
    mean_after = serializers.FloatField()
    mean_change = serializers.FloatField()
    sd_change = serializers.FloatField(allow_null=True)
    ci_low = serializers.FloatField(allow_null=True)
    ci_high = serializers.FloatField(allow_null=True)
    cohens_dz = serializers.FloatField(allow_null=True)
    wilcoxon_p = serializers.FloatField(allow_null=True)
    share_improved = serializers.FloatField()
    share_deteriorated = serializers.FloatField()


class ImpactRowSerializer(serializers.Serializer):
    group = serializers.CharField(source="label")
    change = ChangeSerializer()


class ImpactSerializer(serializers.Serializer):
    instrument = serializers.CharField(source="instrument.code")
    subscale = serializers.CharField(help_text="ONS4 and similar: the question compared")
    timepoint = serializers.CharField()
    breakdown = serializers.CharField(source="dimension")
    minimum_cell = serializers.IntegerField(source="minimum")
    overall = ChangeSerializer(allow_null=True, help_text="null: fewer people than minimum_cell")
    rows = ImpactRowSerializer(many=True, help_text="Only the groups that may be shown.")
    more_groups = serializers.IntegerField(help_text="Always 0 here: the API lists every group.")
    hidden_groups = serializers.IntegerField(
        help_text="Groups not listed: fewer people than minimum_cell, or the smallest other "
        "group when only one would be hidden (it could be worked out from the total)."
    )


class InstrumentViewSet(viewsets.ReadOnlyModelViewSet):
    """The instrument library: items, scales, scoring rule, bands. No personal data."""

    serializer_class = InstrumentSerializer
    permission_classes = [PolicyPermission]
    policy = policy
    policy_actions = {"list": "library", "retrieve": "library"}
    queryset = Instrument.objects.filter(is_active=True).prefetch_related("items__section", "bands")
    lookup_field = "code"


class PersonResponsesViewSet(viewsets.GenericViewSet):
    """The questionnaires of the person of a referral, for the link worker who can work on it."""

    serializer_class = ResponseSerializer
    permission_classes = [PolicyPermission]
    policy = policy
    policy_actions = {"list": "administer", "create": "administer"}
    queryset = Response.objects.none()

    def _referral(self):
        return policy.get_object_or_404(
            self.request.user,
            "administer",
            Referral.objects.select_related("beneficiary"),
            pk=self.kwargs["referral_pk"],
        )

    def list(self, request, referral_pk=None):
        referral = self._referral()
        responses = (
            Response.objects.filter(beneficiary=referral.beneficiary)
            .select_related("instrument")
            .prefetch_related("answers__item")
            .order_by("administered_on", "pk")
        )
        audit(by=request.user, action="view", obj=referral.beneficiary, purpose="API outcomes")
        return ApiResponse(ResponseSerializer(responses, many=True).data)

    @extend_schema(request=ResponseInputSerializer, responses={201: ResponseSerializer})
    def create(self, request, referral_pk=None):
        referral = self._referral()
        data = ResponseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        response = run_service(
            services.response_record,
            by=request.user,
            instrument=values["instrument"],
            beneficiary=referral.beneficiary,
            referral=referral,
            timepoint=values["timepoint"],
            administered_on=values["administered_on"],
            answers=values["answers"],
        )
        return ApiResponse(ResponseSerializer(response).data, status=status.HTTP_201_CREATED)


class ImpactViewSet(viewsets.GenericViewSet):
    """Paired pre/post change, overall and broken down; groups under `minimum_cell` people
    suppressed."""

    serializer_class = ImpactSerializer
    permission_classes = [PolicyPermission]
    policy = policy
    policy_actions = {"list": "dashboard"}
    queryset = Response.objects.none()
    pagination_class = None

    @extend_schema(
        parameters=[
            OpenApiParameter("instrument", str, required=True),
            OpenApiParameter(
                "timepoint", str, enum=[Timepoint.FOLLOW_UP_3M, Timepoint.FOLLOW_UP_6M]
            ),
            OpenApiParameter("breakdown", str, enum=list(queries.DIMENSIONS)),
            OpenApiParameter("programme", int),
            OpenApiParameter("date_from", str),
            OpenApiParameter("date_to", str),
            OpenApiParameter("subscale", str),
        ],
        responses=ImpactSerializer,
    )
    def list(self, request):
        params = ImpactParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        values = params.validated_data
        report = queries.impact(
            policy.scope(request.user, "dashboard", Response.objects.all()),
            instrument=values["instrument"],
            timepoint=values["timepoint"],
            dimension=values.get("breakdown") or "",
            programme_id=values["programme"].pk if values.get("programme") else None,
            date_from=values.get("date_from"),
            date_to=values.get("date_to"),
            subscale=values.get("subscale") or "",
        )
        return ApiResponse(ImpactSerializer(report).data)


router = SimpleRouter()
router.register("instruments", InstrumentViewSet, basename="outcomes-instrument")
router.register(
    rf"referrals/(?P<referral_pk>{ID_PATTERN})/responses",
    PersonResponsesViewSet,
    basename="outcomes-response",
)
router.register("impact", ImpactViewSet, basename="outcomes-impact")


from .organisations import IndicatorViewSet, SurveyViewSet  # noqa: E402

router.register("surveys", SurveyViewSet, basename="outcomes-survey")
router.register("indicators", IndicatorViewSet, basename="outcomes-indicator")
