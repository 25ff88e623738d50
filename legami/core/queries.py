import datetime
from collections.abc import Iterator

from django import forms
from django.utils.translation import gettext_lazy as _

from legami.core.widgets import DateInput

from . import audit_words
from .models import AuditAction, AuditEvent
from .policy import policy


class AuditFilter(forms.Form):
    actor = forms.CharField(label=_("Who (e-mail)"), required=False, max_length=254)
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=lambda: (
            [("", _("any"))]
            + [(value, audit_words.action_label(value)) for value in AuditAction.values]
        ),
    )
    object_type = forms.ChoiceField(
        label=_("Kind of record"),
        required=False,
        choices=lambda: [("", _("any"))] + audit_words.kinds_logged(),
    )
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    person = forms.IntegerField(
        label=_("Person (id)"),
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        help_text=_("Every row about this referred person, whatever was shown or changed."),
    )
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("To"), required=False, widget=DateInput())


def audit_events(user, filters: AuditFilter):
    events = policy.scope(user, "view_audit_log", AuditEvent.objects.all())
    if not filters.is_valid():
        return events
    data = filters.cleaned_data
    if data["actor"]:
        events = events.filter(actor_label__icontains=data["actor"])
    if data["action"]:
        events = events.filter(action=data["action"])
    if data["object_type"]:
        events = events.filter(object_type=data["object_type"])
    if data["object_id"]:
        events = events.filter(object_id=data["object_id"])
    if data["person"]:
        events = events.filter(person_id=data["person"])
    if data["since"]:
        events = events.filter(at__date__gte=data["since"])
    if data["until"]:
        events = events.filter(at__date__lte=data["until"])
    return events


# An export of the log is cut here: a DPO narrows the filters for more (the page says so).
AUDIT_EXPORT_LIMIT = 100_000


def audit_export_rows(events, *, as_text: bool = False) -> Iterator[list]:
    """The filtered log as table rows, header first, in the words of the page. Times are UTC
    like the page's: a real date-time for XLSX, ISO text for CSV (`as_text`), which a
    spreadsheet would otherwise read in the reader's own locale."""
    yield [
        _("Time (UTC)"),
        _("Who"),
        _("Role"),
        _("Action"),
        _("Object"),
        _("Person (id)"),
        _("Purpose"),
    ]
    for event in events[:AUDIT_EXPORT_LIMIT].iterator(chunk_size=2000):
        row = audit_words.words(event)
        at = row["at"].astimezone(datetime.UTC).replace(tzinfo=None)
        yield [
            at.isoformat(sep=" ", timespec="seconds") if as_text else at,
            row["who"],
            row["role"],
            row["action"],
            row["object"],
            row["person"],
            row["purpose"],
        ]
