from django.db.models import Count, F, Max, Q, QuerySet
from django.utils import timezone

from .models import Course, Registration, RegistrationStatus, TrainingSession


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


def past_sessions() -> QuerySet:
    return with_places(TrainingSession.objects.filter(starts_at__lte=timezone.now()))


def archived_courses() -> QuerySet:
    """Courses with at least one session held, the most recently held first: the archive
    pages through courses, so a course's sessions are never split across two pages."""
    return (
        Course.objects.filter(sessions__starts_at__lte=timezone.now())
        .annotate(last_held=Max("sessions__starts_at"))
        .order_by("-last_held", "pk")
    )


def people_trained(programme, today) -> int:
    """Distinct people (by e-mail) who attended a session of the programme's courses held
    since the programme began: the competences indicator of impact on organisations."""
    return (
        Registration.objects.filter(
            session__course__programme=programme,
            attended=True,
            session__starts_at__date__gte=programme.start_date,
            session__starts_at__date__lte=today,
        )
        .values("email")
        .distinct()
        .count()
    )
