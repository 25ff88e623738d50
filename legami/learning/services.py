"""Every write of the training module: courses and sessions by the territory, registrations by
anyone (the last places taken once, under a lock), attendance. Checked, atomic, audited."""

import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from legami.core.audit import audit
from legami.core.emails import enqueue_templated_email

from .models import Course, Registration, RegistrationStatus, TrainingSession
from .permissions import policy

COURSE_FIELDS = (
    "title",
    "title_en",
    "title_fr",
    "description",
    "audience",
    "programme",
    "organiser",
    "is_free",
)
SESSION_FIELDS = ("title", "starts_at", "ends_at", "comune", "address", "online_url", "capacity")
REGISTRATION_FIELDS = ("first_name", "last_name", "email", "organisation_name", "role")
# Per connection per hour (page and API alike): a colleague may register a few people of an
# office; a script may not fill a course with invented addresses.
RATE_LIMITS = {"training:sent": 10, "training:tried": 40}


@transaction.atomic
def course_create(*, by, data: dict) -> Course:
    policy.authorize(by, "manage")
    course = Course(created_by=by, **{k: data[k] for k in COURSE_FIELDS if k in data})
    course.full_clean()
    course.save()
    audit(by=by, action="create", obj=course, purpose="training")
    return course


@transaction.atomic
def session_create(*, by, course: Course, data: dict) -> TrainingSession:
    policy.authorize(by, "manage")
    if data.get("comune") is not None:
        # Online sessions too: the comune that organises it decides who runs it.
        policy.authorize(by, "manage", data["comune"])
    session = TrainingSession(course=course, **{k: data.get(k) for k in SESSION_FIELDS})
    session.address = session.address or ""
    session.online_url = session.online_url or ""
    errors = {}
    if session.starts_at and session.ends_at and session.ends_at <= session.starts_at:
        errors["ends_at"] = _("The session must end after it starts.")
    if session.capacity is not None and session.capacity < 1:
        errors["capacity"] = _("A session has at least one place.")
    if not session.comune_id:
        errors["comune"] = _("Give the comune where it takes place (or that organises it online).")
    if errors:
        raise ValidationError(errors)
    session.full_clean()
    session.save()
    audit(by=by, action="create", obj=session, purpose="training")
    return session


@transaction.atomic
def session_cancel(*, by, session: TrainingSession, reason: str) -> TrainingSession:
    """Cancel a session to come: it stays listed as cancelled, takes no more registrations,
    and each person registered is told by an e-mail queued in this transaction (one message
    each: registrants never see one another's addresses)."""
    policy.authorize(by, "manage", session)
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    reason = (reason or "").strip()
    if session.is_cancelled:
        raise ValidationError(_("The session is already cancelled."))
    if session.starts_at <= timezone.now():
        raise ValidationError(_("The session has already started: it can no longer be cancelled."))
    if not reason:
        raise ValidationError(
            {"reason": _("Say why the session is cancelled: the people registered are told.")}
        )
    session.cancelled_at = timezone.now()
    session.cancel_reason = reason[: TrainingSession._meta.get_field("cancel_reason").max_length]
    session.save(update_fields=["cancelled_at", "cancel_reason"])
    audit(by=by, action="update", obj=session, purpose="training session cancelled")
    registered = session.registrations.filter(status=RegistrationStatus.CONFIRMED)
    for registration in registered:
        enqueue_templated_email(
            "learning/emails/session_cancelled",
            [registration],
            {"registration": registration, "session": session},
        )
    return session


def places_left(session: TrainingSession) -> int:
    taken = session.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    return max(0, session.capacity - taken)


@transaction.atomic
def registration_create(*, by, session: TrainingSession, data: dict) -> Registration:
    """Register someone for a session. The session's row is locked while the places are
    counted, so two people asking for the last place get it once between them.

    An address already registered for the session is answered as a new registration is (the
    same page, the same status) and nothing is saved: the owner of the address learns by e-mail
    that they were already registered. Whether someone takes part in a course is theirs to
    know, not something the public form may tell whoever types their address."""
    policy.authorize(by, "register", session)
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if session.is_cancelled:
        raise ValidationError(_("This session has been cancelled: registrations are closed."))
    if session.starts_at <= timezone.now():
        raise ValidationError(_("Registrations are closed: the session has already started."))
    if places_left(session) < 1:
        raise ValidationError(_("The session is full: no places are left."))
    email = (data.get("email") or "").strip().lower()
    registration = Registration(
        session=session,
        user=by if by is not None and by.is_authenticated else None,
        **{k: (data.get(k) or "").strip() for k in REGISTRATION_FIELDS},
    )
    registration.email = email
    # The one-per-address rule is answered below, without telling.
    registration.full_clean(validate_constraints=False)
    language = translation.get_language() or ""
    existing = _confirmed(session, email)
    if existing is None:
        try:
            with transaction.atomic():
                registration.save()
        except IntegrityError:  # the same address sent twice at the same moment
            existing = _confirmed(session, email)
            if existing is None:
                raise
    if existing is not None:
        _tell_already_registered(existing, session, language)
        return existing
    audit(by=by, action="create", obj=registration, purpose="training registration")
    _confirm(registration, session, language)
    return registration


def _confirmed(session, email) -> Registration | None:
    return session.registrations.filter(status=RegistrationStatus.CONFIRMED, email=email).first()


def _tell_already_registered(registration, session, language) -> None:
    """The truth, to the address's owner only (the page answered as for a new registration),
    queued like every e-mail so that the answer takes the same path and time."""
    enqueue_templated_email(
        "learning/emails/already_registered",
        [registration],
        {"registration": registration, "session": session},
        language=language,
    )


def _confirm(registration, session, language) -> None:
    """The confirmation e-mail, queued with the registration: the place is taken whether or
    not the mail server answers, and the task worker sends it when the server is back."""
    enqueue_templated_email(
        "learning/emails/registered",
        [registration],
        {"registration": registration, "session": session},
        language=language,
    )


@transaction.atomic
def registration_cancel(*, by, registration: Registration) -> Registration:
    policy.authorize(by, "manage", registration)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    registration.status = RegistrationStatus.CANCELLED
    registration.save(update_fields=["status"])
    audit(by=by, action="update", obj=registration, purpose="training registration cancelled")
    return registration


@transaction.atomic
def attendance_record(*, by, session: TrainingSession, present_ids: set[int]) -> int:
    """Mark who attended among the confirmed registrations; the others as absent."""
    policy.authorize(by, "manage", session)
    if session.is_cancelled:
        raise ValidationError(_("The session was cancelled: nobody attended it."))
    if session.starts_at > timezone.now():
        raise ValidationError(_("Attendance is recorded once the session has started."))
    confirmed = session.registrations.filter(status=RegistrationStatus.CONFIRMED)
    unknown = set(present_ids) - set(confirmed.values_list("pk", flat=True))
    if unknown:
        raise ValidationError(_("Some people ticked are not registered for this session."))
    confirmed.filter(pk__in=present_ids).update(attended=True)
    confirmed.exclude(pk__in=present_ids).update(attended=False)
    audit(by=by, action="update", obj=session, purpose="training attendance")
    return len(present_ids)


# --- data protection --------------------------------------------------------------------------
RETENTION_MONTHS = 24  # after the session: long enough for a funder's report and a certificate
ERASED = "—"


def _erase(registrations) -> int:
    # One random stand-in per address: the person's sessions still count as one person in
    # "people trained", and nothing leads back to the address.
    stand_ins = {}
    count = 0
    for registration in registrations:
        if registration.email not in stand_ins:
            stand_ins[registration.email] = f"erased-{secrets.token_hex(8)}@invalid"
        registration.first_name = registration.last_name = ERASED
        registration.email = stand_ins[registration.email]
        registration.organisation_name = registration.role = ""
        registration.user = None
        registration.save()
        count += 1
    return count


@transaction.atomic
def registrations_forget(*, by, email: str) -> int:
    """The right to erasure: every registration under `email` keeps only its session and
    attendance (the course's counts stay right); returns how many were erased."""
    policy.authorize(by, "forget")
    found = Registration.objects.select_for_update().filter(email=(email or "").strip().lower())
    count = _erase(found)
    audit(
        by=by,
        action="erase",
        object_type="learning.registration",
        purpose="erasure request",
        changes={"count": count},
    )
    return count


@transaction.atomic
def registrations_expire(*, today=None) -> int:
    """Erase the identity of registrations to sessions ended more than RETENTION_MONTHS ago."""
    from dateutil.relativedelta import relativedelta

    limit = (today or timezone.localdate()) - relativedelta(months=RETENTION_MONTHS)
    old = (
        Registration.objects.select_for_update()
        .filter(session__ends_at__date__lt=limit)
        .exclude(first_name=ERASED)
    )
    count = _erase(old)
    if count:
        audit(
            by=None,
            action="erase",
            object_type="learning.registration",
            purpose="retention",
            changes={"count": count},
        )
    return count
