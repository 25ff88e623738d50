"""Training pages: the public list of coming sessions and the registration form, and the
territory administrator's pages to run courses, sessions, registrations and attendance."""

from datetime import UTC
from itertools import groupby

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from icalendar import Calendar, Event

from legami.core import ratelimit
from legami.core.audit import audit_shown
from legami.core.permissions import permission_required
from legami.core.views_helpers import paginate, submit_form
from legami.territory.models import Comune

from . import queries, services
from .forms import CourseForm, RegistrationForm, SessionCancelForm, SessionForm
from .models import Registration, TrainingSession
from .permissions import policy


@require_GET
@permission_required(policy, "browse")
def index(request):
    sessions = list(queries.coming_sessions().order_by("course__title", "course_id", "starts_at"))
    courses = [(course, list(items)) for course, items in groupby(sessions, lambda s: s.course)]
    return render(request, "learning/index.html", {"courses": courses})


ARCHIVE_PAGE = 10  # courses per page


@require_GET
@permission_required(policy, "browse")
def archive(request):
    page = paginate(request, queries.archived_courses(), per_page=ARCHIVE_PAGE)
    sessions = queries.past_sessions().filter(course__in=list(page)).order_by("-starts_at", "-pk")
    by_course = {}
    for session in sessions:
        by_course.setdefault(session.course_id, []).append(session)
    courses = [(course, by_course.get(course.pk, [])) for course in page]
    return render(request, "learning/archive.html", {"courses": courses, "page_obj": page})


@require_http_methods(["GET", "POST"])
@permission_required(policy, "register")
def session(request, pk):
    session = policy.get_object_or_404(
        request.user, "browse", queries.with_places(TrainingSession.objects.all()), pk=pk
    )
    left = max(0, session.left)
    is_open = not session.is_cancelled and session.starts_at > timezone.now() and left > 0
    form = RegistrationForm(request.POST or None)
    uses = ratelimit.take(request, services.RATE_LIMITS) if request.method == "POST" else None
    if request.method == "POST" and uses is None:
        form.add_error(
            None,
            _(
                "We have received many registrations from this connection in the last hour. "
                "Please try again later, or write to the organisers."
            ),
        )
        return render(
            request,
            "learning/session.html",
            {"session": session, "left": left, "is_open": is_open, "form": form},
            status=429,
        )
    if request.method == "POST":
        saved = submit_form(
            request,
            form,
            lambda data: services.registration_create(by=request.user, session=session, data=data),
        )
        if saved is not None:
            return render(
                request, "learning/registered.html", {"session": session, "where": where(session)}
            )
        uses.give_back("training:sent")  # only registrations made count against the hour
    return render(
        request,
        "learning/session.html",
        {"session": session, "left": left, "is_open": is_open, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def where(session: TrainingSession) -> str:
    """The place as a person would type it into a map; the online link is not here, it goes
    only to the people registered, in their e-mail."""
    if session.online_url and not session.address:
        return _("online")  # the comune of an online session only organises it
    parts = [session.address, session.comune.name if session.comune else ""]
    place = ", ".join(p for p in parts if p)
    return f"{place} · {_('online')}" if session.online_url else place


@require_GET
@permission_required(policy, "browse")
def session_calendar(request, pk):
    """One session as iCalendar (RFC 5545): one event, its times in UTC (the "Z" form, which
    every calendar reads without a time-zone block), marked cancelled when it is."""
    session = policy.get_object_or_404(
        request.user, "browse", TrainingSession.objects.select_related("course", "comune"), pk=pk
    )
    calendar = Calendar()
    calendar.add("prodid", "-//Legami//Training//IT")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"training-session-{session.pk}@legami")
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("dtstart", session.starts_at.astimezone(UTC))
    event.add("dtend", session.ends_at.astimezone(UTC))
    event.add("summary", f"{session.course.localised_title}: {session.title}")
    location = where(session)
    if location:
        event.add("location", location)
    event.add("url", request.build_absolute_uri(reverse("learning:session", args=[session.pk])))
    if session.is_cancelled:
        event.add("status", "CANCELLED")
        event.add("sequence", 1)  # a calendar that holds the event replaces it
    else:
        event.add("status", "CONFIRMED")
    calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="formazione-{session.pk}.ics"'
    return response


@require_GET
@permission_required(policy, "own_registrations")
def mine(request):
    registrations = list(
        policy.scope(request.user, "own_registrations", Registration.objects.all())
        .select_related("session__course", "session__comune")
        .order_by("-session__starts_at", "-pk")
    )
    audit_shown(by=request.user, purpose="own registrations (citizen)", objects=registrations)
    now = timezone.now()
    return render(
        request,
        "learning/mine.html",
        {
            "coming": [r for r in registrations if r.session.starts_at > now],
            "past": [r for r in registrations if r.session.starts_at <= now],
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(policy, "manage")
def manage(request):
    # One page, two forms: a session names its course, a course does not.
    adding_session = request.method == "POST" and "course" in request.POST
    adding_course = request.method == "POST" and not adding_session
    # The two forms share field names (title): the course form's prefix keeps ids apart.
    course_form = CourseForm(request.POST if adding_course else None, prefix="new-course")
    session_form = SessionForm(
        request.POST if adding_session else None,
        comuni=policy.scope(request.user, "manage", Comune.objects.all()),
    )
    if request.method == "POST":
        if adding_session:
            saved = submit_form(
                request,
                session_form,
                lambda data: services.session_create(
                    by=request.user, course=data["course"], data=data
                ),
            )
            done = _("Session added.")
        else:
            saved = submit_form(
                request,
                course_form,
                lambda data: services.course_create(by=request.user, data=data),
            )
            done = _("Course added.")
        if saved is not None:
            messages.success(request, done)
            return redirect("learning:manage")
    sessions = queries.with_places(
        policy.scope(request.user, "manage", TrainingSession.objects.all())
    ).order_by("-starts_at")
    return render(
        request,
        "learning/manage.html",
        {"sessions": sessions, "course_form": course_form, "session_form": session_form},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@permission_required(policy, "manage")
def session_manage(request, pk):
    session = policy.get_object_or_404(
        request.user, "manage", queries.with_places(TrainingSession.objects.all()), pk=pk
    )
    if request.method == "POST":
        try:
            present = {int(value) for value in request.POST.getlist("present")}
            services.attendance_record(by=request.user, session=session, present_ids=present)
        except ValueError:
            messages.error(request, _("Some people ticked are not registered for this session."))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Attendance recorded."))
        return redirect("learning:session_manage", pk=pk)
    registrations = list(session.registrations.order_by("status", "last_name", "first_name"))
    audit_shown(by=request.user, purpose="training registrations", objects=registrations)
    return render(
        request,
        "learning/session_manage.html",
        {
            "session": session,
            "registrations": registrations,
            "started": session.starts_at <= timezone.now(),
            "left": max(0, session.left),
            "cancel_form": SessionCancelForm(),
        },
    )


@require_POST
@permission_required(policy, "manage")
def session_cancel(request, pk):
    session = policy.get_object_or_404(request.user, "manage", TrainingSession.objects, pk=pk)
    form = SessionCancelForm(request.POST)
    form.is_valid()  # the service names what is missing
    try:
        services.session_cancel(
            by=request.user, session=session, reason=form.cleaned_data.get("reason", "")
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Session cancelled: the people registered are told by e-mail."))
    return redirect("learning:session_manage", pk=pk)


@require_POST
@permission_required(policy, "manage")
def registration_cancel(request, pk):
    registration = policy.get_object_or_404(
        request.user,
        "manage",
        Registration.objects.select_related("session"),
        pk=pk,
    )
    services.registration_cancel(by=request.user, registration=registration)
    messages.success(request, _("Registration cancelled: the place is free again."))
    return redirect("learning:session_manage", pk=registration.session_id)
