"""Small pieces every module's thin views share."""

import re
from collections.abc import Callable

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.utils.http import url_has_allowed_host_and_scheme

from .errors import Refusal

# The range of the widest integer column (bigint, which BigAutoField ids use). Beyond it a
# number is no id and no count: SQLite refuses it with OverflowError, PostgreSQL with an error,
# never with an empty answer.
BIGINT_MIN = -(2**63)
BIGINT_MAX = 2**63 - 1
# ASCII digits only: "²".isdigit() and "٣".isdigit() are True, int("²") fails, int("٣") is 3.
_INTEGER = re.compile(r"[+-]?[0-9]{1,19}")


def integer_param(value, *, minimum: int = BIGINT_MIN, maximum: int = BIGINT_MAX) -> int | None:
    """A whole number from a query string or a form value, or None when it is missing, not
    written in ASCII digits, or outside [minimum, maximum] (by default the database's range).
    The one parser of numbers typed into addresses and forms: callers never call int()."""
    text = str(value if value is not None else "").strip()
    if not _INTEGER.fullmatch(text):
        return None
    number = int(text)
    return number if minimum <= number <= maximum else None



def id_param(value) -> int | None:
    """A database id from a query parameter or a form value, or None."""
    return integer_param(value, minimum=1)


def id_params(values) -> list[int]:
    """The ids of a repeated parameter (`?ids=1&ids=2`), in order, without repeats; values
    that are not ids are left out."""
    ids = (id_param(value) for value in values)
    return list(dict.fromkeys(i for i in ids if i is not None))


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, refusing ids beyond the database's range as unknown choices. Django looks
    the ids up with `pk__in`, which (unlike `pk=`) does not guard against overflow: a
    23-digit number made a server error instead of "not one of the available choices"."""

    def _check_values(self, value):
        # clean() has made sure `value` is a list or a tuple.
        integer_ids = isinstance(self.queryset.model._meta.pk, models.IntegerField)
        if integer_ids and self.to_field_name is None:
            for pk in value:
                text = str(pk).strip()
                if text.isascii() and text.lstrip("+-").isdigit() and id_param(text) is None:
                    raise ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": text[:30]},
                    )
        return super()._check_values(value)


def safe_next(request, default: str, field: str = "next") -> str:
    """Where to go back to after a form: the `next` the form sent when it is a path of this
    site (never another site, a scheme such as `javascript:`, or a bare word that `redirect()`
    would try as a URL name), otherwise `default`."""
    target = (request.POST.get(field) or request.GET.get(field) or "").strip()
    if (
        target.startswith("/")
        and not target.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return default


def paginate(request, queryset, per_page: int = 25):
    """A page of `queryset`; a bad or out-of-range page number gives the nearest page,
    never an error."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's validation errors on the form, on the field they name when the form
    has it, otherwise at the top."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field if field in form.fields else None
            if field == NON_FIELD_ERRORS:
                target = None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def submit_form(request, form, save: Callable[[dict], object]):
    """POST handling shared by create and edit views: validate the form, call the service,
    map its refusals back to the form (a field's error beside it, a state that forbids the
    action at the top). Returns the saved object, or None to re-render."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return save(form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    except Refusal as refusal:
        form.add_error(None, refusal.message)
        return None
