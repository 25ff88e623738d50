"""The words of a referral's codes, for documents built from the export (the data-subject PDF):
the export keeps the codes (it is data), the person reads the words in their language."""

from django import template

from ..models import ConsentPurpose, ContactChannel, EnrolmentStatus, Source, Status, Urgency

register = template.Library()

CHOICES = {
    "purpose": ConsentPurpose,
    "contact": ContactChannel,
    "enrolment": EnrolmentStatus,
    "source": Source,
    "status": Status,
    "urgency": Urgency,
}


@register.filter
def label(value, kind: str):
    choices = CHOICES[kind]
    try:
        return choices(value).label
    except ValueError:
        return value if value else "—"
