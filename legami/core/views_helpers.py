"""Small pieces every module's thin views share."""

from collections.abc import Callable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.paginator import Paginator

from .errors import Refusal


def id_param(value) -> int | None:
    """A database id from a query parameter, or None. Only ASCII digits: "²".isdigit() is True
    but int("²") fails; and short enough to fit the column."""
    value = str(value or "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 12 else None


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
