"""The one e-mail helper: each message is three templates, `<name>_subject.txt`,
`<name>.txt` and `<name>.html`, rendered in the recipient's language.

Modules never send from a request or a service: they call `enqueue_templated_email`, which
writes a task in the current transaction (a rolled-back change sends nothing, a mail server
down answers no one with an error); the task worker renders and sends with
`send_templated_email`, retrying while the server is away (core/tasks.py).

The task table is read by the back office, so a queued e-mail holds no personal data: the
recipients and the records the templates show are stored as references (model and id), read
again when the e-mail leaves. A recipient erased in between gets nothing."""

from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import models
from django.template.loader import render_to_string
from django.test.utils import override_settings
from django.utils import translation
from django.utils.functional import Promise

REFERENCE = "$record"


def send_templated_email(template: str, to: list[str], context: dict, language: str = "") -> int:
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(" ".join(subject.split()), text, to=to)
    message.attach_alternative(html, "text/html")
    return message.send()


def enqueue_templated_email(template: str, to: list, context: dict | None = None, language=""):
    """Queue an e-mail in the current transaction. `to` lists the records that hold the
    addresses (a user, a registration: anything with an `email` field); `context` may hold
    records, lists of records, lazy translations (read in `language`) and plain JSON values.
    Returns the task result."""
    from .tasks import send_email_task

    if not all(isinstance(recipient, models.Model) for recipient in to):
        raise TypeError("Recipients are records with an e-mail field, never bare addresses.")
    with translation.override(language or settings.LANGUAGE_CODE):
        data = _stored(context or {})
    return send_email_task.enqueue(
        template=template, to=_stored(list(to)), data=data, language=language or ""
    )


def deliver_templated_email(template: str, to: list, data: dict, language: str = "") -> int:
    """What the task does: read the references back, then render and send. Returns the
    number of messages sent (0 when every recipient is gone or has no address)."""
    addresses = [r.email for r in _read(to) if r is not None and getattr(r, "email", "")]
    if not addresses:
        return 0
    return send_templated_email(template, addresses, _read(data), language=language)


def emails_not_sent():
    """For demo data made through the services: the e-mails they queue are dropped where they
    are queued, so none reaches the worker, and none is sent at once either."""
    return override_settings(
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}},
    )


def _stored(value):
    if isinstance(value, models.Model):
        return {REFERENCE: value._meta.label_lower, "pk": value.pk}
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, dict):
        return {str(key): _stored(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_stored(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    # Dates, querysets and the like would be stored as whatever they print as: refuse them
    # here, where the caller can pass the record instead.
    raise TypeError(f"An e-mail's context holds records and JSON values, not {type(value)}.")


def _read(value):
    if isinstance(value, dict) and REFERENCE in value:
        model = apps.get_model(value[REFERENCE])
        return model._default_manager.filter(pk=value["pk"]).first()
    if isinstance(value, dict):
        return {key: _read(item) for key, item in value.items()}
    if isinstance(value, list):
        wanted = [v for v in value if isinstance(v, dict) and REFERENCE in v]
        if wanted and len(wanted) == len(value) and len({v[REFERENCE] for v in wanted}) == 1:
            # A list of records of one model (the listings of a reminder): one query.
            model = apps.get_model(wanted[0][REFERENCE])
            found = model._default_manager.in_bulk([v["pk"] for v in wanted])
            return [found[v["pk"]] for v in wanted if v["pk"] in found]
        return [_read(item) for item in value]
    return value
