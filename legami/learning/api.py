"""REST API of training (/api/v1/learning/): the coming sessions with the places left, and
registration through the same service as the page."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import Throttled
from rest_framework.response import Response as ApiResponse
from rest_framework.routers import SimpleRouter

from legami.core import ratelimit
from legami.core.api import run_service
from legami.core.permissions import PolicyPermission

from . import queries, services
from .models import Registration, TrainingSession
from .permissions import policy


class SessionSerializer(serializers.ModelSerializer):
    course = serializers.CharField(source="course.localised_title")
    comune = serializers.CharField(source="comune.name", default="")
    places_left = serializers.SerializerMethodField()
    # The meeting's address goes only to the people registered, in their confirmation.
    online = serializers.SerializerMethodField()
    cancelled = serializers.BooleanField(source="is_cancelled", read_only=True)

    def get_online(self, session) -> bool:
        return bool(session.online_url)

    class Meta:
        model = TrainingSession
        fields = [
            "id",
            "course",
            "title",
            "starts_at",
            "ends_at",
            "comune",
            "address",
            "online",
            "capacity",
            "places_left",
            "cancelled",
        ]

    def get_places_left(self, session) -> int:
        return max(0, session.left)


class RegistrationInputSerializer(serializers.ModelSerializer):
    privacy = serializers.BooleanField(
        help_text="True: the person has read how their data are used (as on the page)."
    )

    def validate_privacy(self, value):
        if not value:
            raise serializers.ValidationError(
                _("Tick the box to say you have read how data are used.")
            )
        return value

    class Meta:
        model = Registration
        fields = [*services.REGISTRATION_FIELDS, "privacy"]


class SessionViewSet(viewsets.ReadOnlyModelViewSet):
    """Training sessions still to come, with the places left; anyone may register."""

    serializer_class = SessionSerializer
    permission_classes = [PolicyPermission]
    policy = policy
    policy_actions = {"list": "browse", "retrieve": "browse", "register": "register"}

    def get_queryset(self):
        return queries.coming_sessions().order_by("starts_at", "pk")

    @extend_schema(request=RegistrationInputSerializer, responses={201: None})
    @action(detail=True, methods=["post"])
    def register(self, request, pk=None):
        session = self.get_object()
        uses = ratelimit.take(request, services.RATE_LIMITS)
        if uses is None:
            raise Throttled(detail=_("Too many registrations from this connection: try later."))
        data = RegistrationInputSerializer(data=request.data)
        try:
            data.is_valid(raise_exception=True)
            run_service(
                services.registration_create,
                by=request.user,
                session=session,
                data=data.validated_data,
            )
        except Exception:
            uses.give_back("training:sent")  # only registrations made count against the hour
            raise
        # A new registration and an address already registered get the same answer (the
        # service tells the truth by e-mail).
        return ApiResponse(status=status.HTTP_201_CREATED)


router = SimpleRouter()
router.register("sessions", SessionViewSet, basename="learning-session")
