"""The one e-mail helper: each message is three templates, `<name>_subject.txt`,
`<name>.txt` and `<name>.html`, rendered in the recipient's language."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def send_templated_email(template: str, to: list[str], context: dict, language: str = "") -> int:
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(" ".join(subject.split()), text, to=to)
    message.attach_alternative(html, "text/html")
    return message.send()
