"""REST API of social prescribing (/api/v1/referrals/): the same services, queries and policy
as the pages. Every read of a person's record is written to the access log; the codice fiscale
is never in an answer; a provider reads only the minimum (see serializers.py).

- wrong role: 403 (PolicyPermission, or the policy inside the queries);
- an object outside the user's scope: 404, as if it did not exist;
- a rule of a service broken: 400 with a message per field.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from legami.accounts.models import User
from legami.core.api import run_service
from legami.core.audit import audit, audit_shown
from legami.core.permissions import PolicyPermission
from legami.core.roles import LINK_WORKER, effective_role

from . import matching, queries, services
from .disclosure import Disclosure
from .forms import ConsentChangeForm
from .models import Beneficiary, Enrolment, EnrolmentStatus, Referral, ReferralEvent
from .permissions import policy
from .queries import cases as queries_cases
from .serializers import (
    AttendanceLineInputSerializer,
    AttendanceLineSerializer,
    CaseloadParamsSerializer,
    CaseNoteInputSerializer,
    CaseNoteSerializer,
    ConsentChangeSerializer,
    ConsentStateSerializer,
    DuplicateSerializer,
    EnrolmentAnswerSerializer,
    GoalInputSerializer,
    GoalRateInputSerializer,
    GoalSerializer,
    InboxEnrolmentSerializer,
    LinkAccountInputSerializer,
    MergeInputSerializer,
    ReferralAssignResultSerializer,
    ReferralAssignSerializer,
    ReferralCreateSerializer,
    ReferralEnrolInputSerializer,
    ReferralEnrolmentSerializer,
    ReferralPersonInputSerializer,
    ReferralProgrammeSerializer,
    ReferralSerializer,
    ReferralTransitionSerializer,
    SuggestionSerializer,
)

PERSON_FIELDS = frozenset(ReferralPersonInputSerializer().fields)
ID_PATTERN = r"[0-9]+"


def _run(service, *, rename=None, **kwargs):
    """A service's errors named after the fields the caller sent: the person's under
    `person`, and `rename` for keys the service names differently."""
    return run_service(service, rename=rename, nested={"person": PERSON_FIELDS}, **kwargs)


def _for_rows(referrals):
    """What each row of a referral list shows, joined once for the whole page."""
    return (
        queries.with_contact_consent(referrals)
        .select_related("beneficiary__comune", "comune", "referring_organisation")
        .prefetch_related(
            "reasons",
            Prefetch("events", queryset=ReferralEvent.objects.order_by("at", "pk")),
            Prefetch("enrolments", queryset=Enrolment.objects.select_related("activity")),
        )
    )


@extend_schema_view(
    list=extend_schema(
        summary="Referrals you may see",
        description=(
            "A prescriber: the referrals of their organisation. A link worker: their caseload "
            "(the filters of the caseload page; `view=mine` by default). A citizen: their own."
        ),
        parameters=[CaseloadParamsSerializer],
    ),
    retrieve=extend_schema(summary="One referral with its timeline"),
    create=extend_schema(
        summary="Refer a person (prescribers)",
        request=ReferralCreateSerializer,
        responses={201: ReferralSerializer},
    ),
)
class ReferralViewSet(viewsets.GenericViewSet):
    """Referrals: made by prescribers, worked on by link workers, read by the person."""

    serializer_class = ReferralSerializer
    permission_classes = [PolicyPermission]
    policy = policy
    policy_actions = {
        "list": "view",
        "retrieve": "view",
        "create": "refer",
        "transition": "work",
        "assign": "work",
        "notes": "work",
        "goals": "work",
        "rate_goals": "work",
        "suggestions": "work",
        "enrolments": "work",
        "consents": "work",
        "programme": "work",
        "duplicate": "work",
        "merge": "work",
        "dismiss_duplicate": "work",
        "link_account": "link_account",
    }
    queryset = Referral.objects.none()  # the queries module chooses the rows
    lookup_value_regex = ID_PATTERN

    def _output(self, referral, code=status.HTTP_200_OK):
        referral = queries.referral_detail(self.request.user, referral.pk)
        return Response(ReferralSerializer(referral, context={"request": self.request}).data, code)

    def list(self, request):
        params = CaseloadParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        user = request.user
        if effective_role(user) == LINK_WORKER:
            filters = queries.CaseloadFilter.from_params(params.as_params())
            referrals = queries.caseload(user, filters)
        else:
            referrals = queries.referrals_made(user)
        page = self.paginate_queryset(_for_rows(referrals))
        audit_shown(by=user, purpose="API", objects=page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        referral = queries.referral_detail(request.user, pk)
        audit(by=request.user, action="view", obj=referral, purpose="API")
        return Response(self.get_serializer(referral).data)

    def create(self, request):
        serializer = ReferralCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        referral = _run(
            services.referral_create,
            by=request.user,
            person=dict(data.pop("person")),
            **data,
        )
        return self._output(referral, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Move a referral along its lifecycle (link workers)",
        request=ReferralTransitionSerializer,
        responses={200: ReferralSerializer},
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        referral = queries.referral_detail(request.user, pk, action="work")
        serializer = ReferralTransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        _run(
            services.referral_transition,
            rename={"status": "to"},
            by=request.user,
            referral=referral,
            **serializer.validated_data,
        )
        return self._output(referral)

    @extend_schema(
        summary="Give referrals to a link worker (link workers)",
        request=ReferralAssignSerializer,
        responses={200: ReferralAssignResultSerializer},
    )
    @action(detail=False, methods=["post"])
    def assign(self, request):
        serializer = ReferralAssignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        count = _run(
            services.referral_assign,
            by=request.user,
            referrals=data["referrals"],
            link_worker=User.objects.filter(pk=data["link_worker"]).first(),
        )
        return Response(ReferralAssignResultSerializer({"assigned": count}).data)

    @extend_schema(
        summary="Add a case note (link workers)",
        request=CaseNoteInputSerializer,
        responses={201: CaseNoteSerializer},
    )
    @action(detail=True, methods=["post"])
    def notes(self, request, pk=None):
        referral = queries.referral_detail(request.user, pk, action="work")
        serializer = CaseNoteInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        note = _run(
            services.case_note_add,
            by=request.user,
            referral=referral,
            text=serializer.validated_data["text"],
        )
        return Response(CaseNoteSerializer(note).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        summary="The person's goals and their ratings (link workers)",
        request=None,
        responses={200: GoalSerializer(many=True)},
    )
    @extend_schema(
        methods=["POST"],
        summary="Record a goal in the person's words with its first rating (link workers)",
        request=GoalInputSerializer,
        responses={201: GoalSerializer},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def goals(self, request, pk=None):
        referral = queries.referral_detail(request.user, pk, action="work")
        if request.method == "GET":
            audit(by=request.user, action="view", obj=referral, purpose="personal goals (API)")
            goals = queries_cases.goals_of(referral)
            return Response(GoalSerializer(goals, many=True).data)
        serializer = GoalInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        goal = _run(
            services.goal_add, by=request.user, referral=referral, **serializer.validated_data
        )
        goal = next(g for g in queries_cases.goals_of(referral) if g.pk == goal.pk)
        return Response(GoalSerializer(goal).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Rate the person's goals again, at a follow-up (link workers)",
        description=(
            "One new dated rating per goal named; earlier ratings are kept. All or none: an "
            "error is named `rating_<goal id>`."
        ),
        request=GoalRateInputSerializer,
        responses={200: GoalSerializer(many=True)},
    )
    @action(detail=True, methods=["post"], url_path="goals/rate", pagination_class=None)
    def rate_goals(self, request, pk=None):
        referral = queries.referral_detail(request.user, pk, action="work")
        serializer = GoalRateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        lines = serializer.validated_data["ratings"]
        _run(
            services.goal_rate,
            by=request.user,
            referral=referral,
            ratings={line["goal"]: line["rating"] for line in lines},
        )
        return Response(GoalSerializer(queries_cases.goals_of(referral), many=True).data)

    @extend_schema(
        summary="Activities suggested for the referral, each with its reasons (link workers)",
        request=None,
        responses={200: SuggestionSerializer(many=True)},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def suggestions(self, request, pk=None):
        referral = queries.referral_detail(request.user, pk, action="work")
        audit(by=request.user, action="view", obj=referral, purpose="matching (API)")
        suggestions = matching.suggest(referral)
        return Response(SuggestionSerializer(suggestions, many=True).data)

    @extend_schema(
        summary="Send the referral to an activity (link workers)",
        request=ReferralEnrolInputSerializer,
        responses={201: ReferralEnrolmentSerializer},
    )
    @action(detail=True, methods=["post"])
    def enrolments(self, request, pk=None):
        referral = queries.referral_detail(request.user, pk, action="work")
        serializer = ReferralEnrolInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        enrolment = _run(
            services.enrolment_create,
            by=request.user,
            referral=referral,
            activity=serializer.validated_data["activity"],
        )
        return Response(ReferralEnrolmentSerializer(enrolment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Record that the person gives or withdraws a consent (link workers)",
        request=ConsentChangeSerializer,
        responses={200: ConsentStateSerializer},
    )
    @action(detail=True, methods=["post"])
    def consents(self, request, pk=None):
        referral = queries.referral_detail(request.user, pk, action="work")
        form = ConsentChangeForm(request.data if isinstance(request.data, dict) else {})
        if not form.is_valid():
            raise serializers.ValidationError({k: list(v) for k, v in form.errors.items()})
        beneficiary = referral.beneficiary
        _run(services.consent_change, by=request.user, beneficiary=beneficiary, **form.cleaned_data)
        active = sorted(services.active_consents(beneficiary))
        return Response(ConsentStateSerializer({"active": active}).data)

    @extend_schema(
        summary="Say in which programme the referral counts (link workers)",
        request=ReferralProgrammeSerializer,
        responses={200: ReferralSerializer},
    )
    @action(detail=True, methods=["post"])
    def programme(self, request, pk=None):
        referral = queries.referral_detail(request.user, pk, action="work")
        serializer = ReferralProgrammeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        _run(
            services.referral_programme_set,
            by=request.user,
            referral=referral,
            programme=serializer.validated_data["programme"],
        )
        return self._output(referral)

    def _flagged(self, pk):
        referral = queries.referral_detail(self.request.user, pk, action="work")
        if not Disclosure(self.request.user).works_on(referral):
            raise PermissionDenied
        if referral.beneficiary.possible_duplicate_of_id is None:
            raise Http404
        return referral

    @extend_schema(
        summary="Compare a possible duplicate with the record it matches (link workers)",
        request=None,
        responses={200: DuplicateSerializer},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def duplicate(self, request, pk=None):
        comparison = queries_cases.possible_duplicate(self._flagged(pk))
        if comparison is None:
            raise Http404
        audit(
            by=request.user,
            action="view",
            obj=comparison["record"],
            purpose="possible duplicate: comparison before merging (API)",
        )
        return Response(DuplicateSerializer(comparison).data)

    @extend_schema(
        summary="Same person: merge the request's record into the one it matches (link workers)",
        request=MergeInputSerializer,
        responses={200: ReferralSerializer},
    )
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        referral = self._flagged(pk)
        serializer = MergeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        _run(
            services.beneficiary_merge,
            by=request.user,
            keep=Beneficiary.objects.get(pk=referral.beneficiary.possible_duplicate_of_id),
            duplicate=referral.beneficiary,
            take=serializer.validated_data["take"],
        )
        return self._output(referral)

    @extend_schema(
        summary="Not the same person: dismiss the possible-duplicate flag (link workers)",
        request=None,
        responses={200: ReferralSerializer},
    )
    @action(detail=True, methods=["post"], url_path="dismiss-duplicate")
    def dismiss_duplicate(self, request, pk=None):
        referral = self._flagged(pk)
        _run(
            services.beneficiary_duplicate_dismiss,
            by=request.user,
            beneficiary=referral.beneficiary,
        )
        return self._output(referral)

    @extend_schema(
        summary="Link the person's record to the citizen account they name (referrer, link "
        "workers)",
        request=LinkAccountInputSerializer,
        responses={200: ReferralSerializer},
    )
    @action(detail=True, methods=["post"], url_path="link-account")
    def link_account(self, request, pk=None):
        referral = queries.referral_detail(request.user, pk, action="link_account")
        serializer = LinkAccountInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        _run(
            services.beneficiary_link_account,
            by=request.user,
            beneficiary=referral.beneficiary,
            email=serializer.validated_data["email"],
        )
        return self._output(referral)


@extend_schema_view(
    list=extend_schema(
        summary="Referrals sent to your activities (providers)",
        description=(
            "The minimum a provider needs: the person's first name, access needs, and phone "
            "and e-mail only if the person agreed to be contacted (null otherwise)."
        ),
        parameters=[
            OpenApiParameter("status", str, enum=EnrolmentStatus.values, required=False),
        ],
    ),
    retrieve=extend_schema(summary="One referral sent to your activities (providers)"),
)
class EnrolmentViewSet(viewsets.GenericViewSet):
    """A provider's inbox: answer referrals and keep the session register."""

    serializer_class = InboxEnrolmentSerializer
    permission_classes = [PolicyPermission]
    policy = policy
    policy_actions = {
        "list": "respond",
        "retrieve": "respond",
        "respond": "respond",
        "attendance": "respond",
    }
    queryset = Enrolment.objects.none()  # the queries module chooses the rows
    lookup_value_regex = ID_PATTERN

    def _output(self, enrolment):
        enrolment = queries.provider_enrolment(self.request.user, enrolment.pk)
        return Response(self.get_serializer(enrolment).data)

    def list(self, request):
        chosen = request.query_params.get("status", "")
        if chosen and chosen not in EnrolmentStatus.values:
            raise serializers.ValidationError({"status": [_("Choose a status from the list.")]})
        page = self.paginate_queryset(queries.provider_inbox(request.user, status=chosen))
        audit_shown(by=request.user, purpose="API", objects=page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        enrolment = queries.provider_enrolment(request.user, pk)
        audit(by=request.user, action="view", obj=enrolment, purpose="API")
        return Response(self.get_serializer(enrolment).data)

    @extend_schema(
        summary="Accept or decline a referral (providers)",
        request=EnrolmentAnswerSerializer,
        responses={200: InboxEnrolmentSerializer},
    )
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        enrolment = queries.provider_enrolment(request.user, pk)
        serializer = EnrolmentAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        enrolment = run_service(
            services.enrolment_respond,
            by=request.user,
            enrolment=enrolment,
            **serializer.validated_data,
        )
        return self._output(enrolment)

    @extend_schema(
        summary="Record presence at one session (providers)",
        request=AttendanceLineInputSerializer,
        responses={201: AttendanceLineSerializer},
    )
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        enrolment = queries.provider_enrolment(request.user, pk)
        serializer = AttendanceLineInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        line = run_service(
            services.attendance_record,
            by=request.user,
            enrolment=enrolment,
            **serializer.validated_data,
        )
        return Response(AttendanceLineSerializer(line).data, status=status.HTTP_201_CREATED)


router = SimpleRouter()
router.register("referrals", ReferralViewSet, basename="api-referral")
router.register("enrolments", EnrolmentViewSet, basename="api-enrolment")
