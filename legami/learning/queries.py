from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from .models import RegistrationStatus, TrainingSession


def with_places(sessions: QuerySet) -> QuerySet:
    """Sessions with `registered` (confirmed registrations) and `left` (places still free)."""
    return (
        sessions.select_related("course", "comune")
        .annotate(
            registered=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)
            )
        )
        .annotate(left=F("capacity") - F("registered"))
    )


def coming_sessions() -> QuerySet:
    return with_places(TrainingSession.objects.filter(starts_at__gt=timezone.now()))
