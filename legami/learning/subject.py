"""A referred person's training registrations in their data export, and in their erasure.

Registrations are not linked to the person's record: they are found by who registered and by
e-mail. The export, which the citizen downloads for themselves, shows only what is certainly
theirs (registered from their account, or under an address of their account that they have
verified), so that an address typed on a record cannot open someone else's registrations; when
the record has no account (the DPO exports it after checking who asks), the record's e-mail
counts too. The erasure forgets every registration under any of those addresses: forgetting a
stranger's name by mistake costs less than keeping the person's.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy

from legami.core.subject_data import SubjectData


def _account_emails(user, *, verified_only: bool) -> set[str]:
    from allauth.account.models import EmailAddress

    addresses = EmailAddress.objects.filter(user=user)
    if verified_only:
        addresses = addresses.filter(verified=True)
    emails = {address.lower() for address in addresses.values_list("email", flat=True)}
    if not verified_only and user.email:
        emails.add(user.email.lower())
    return emails


def registrations_of(beneficiary, *, for_erasure: bool):
    from .models import Registration

    user = beneficiary.user
    emails = set()
    if user is not None:
        emails |= _account_emails(user, verified_only=not for_erasure)
    if beneficiary.email and (for_erasure or user is None):
        emails.add(beneficiary.email.strip().lower())
    query = Q(email__in=emails) if emails else Q(pk__in=[])
    if user is not None:
        query |= Q(user=user)
    return Registration.objects.filter(query)


def export(beneficiary) -> list[dict]:
    registrations = (
        registrations_of(beneficiary, for_erasure=False)
        .select_related("session__course")
        .order_by("session__starts_at", "pk")
    )
    return [
        {
            "course": r.session.course.localised_title,
            "session": r.session.title,
            "starts_at": r.session.starts_at.isoformat(),
            "status": r.status,
            "attended": r.attended,
            "first_name": r.first_name,
            "last_name": r.last_name,
            "email": r.email,
            "organisation": r.organisation_name,
            "role": r.role,
            "registered_at": r.created_at.isoformat(),
        }
        for r in registrations
    ]


def erase(beneficiary) -> None:
    from . import services

    emails = set(registrations_of(beneficiary, for_erasure=True).values_list("email", flat=True))
    for email in sorted(emails):
        services.registrations_forget(by=None, email=email)


ENTRY = SubjectData(
    key="training",
    export=export,
    erase=erase,
    title=gettext_lazy("Training"),
    columns=(
        ("course", gettext_lazy("Course")),
        ("session", gettext_lazy("Session")),
        ("starts_at", gettext_lazy("When")),
        ("status", gettext_lazy("Registration")),
        ("attended", gettext_lazy("Attended")),
        ("email", gettext_lazy("E-mail")),
        ("registered_at", gettext_lazy("Registered on")),
    ),
)
