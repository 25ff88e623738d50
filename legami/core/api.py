"""Shared REST pieces: errors become a clear message in the user's language, never a 500."""

import codecs
import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import parsers, serializers
from rest_framework.exceptions import ParseError
from rest_framework.response import Response
from rest_framework.utils import json

from .errors import Refusal
from .views_helpers import BIGINT_MAX

# No document Legami reads nests deeper than a dozen levels (an HSDS service with its
# locations, addresses and schedules); Python's parser fails near 1,000 levels with a
# RecursionError, and code that walks a deep document (copies, serializers) fails sooner.
MAX_JSON_DEPTH = 64
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def json_too_deep(text: str, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether JSON text nests arrays and objects more than `limit` levels deep, found
    without parsing it (brackets inside strings do not count), so without recursion."""
    if text.count("[") + text.count("{") <= limit:
        return False
    depth = 0
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            if depth > limit:
                return True
        elif token in ("]", "}"):
            depth -= 1
    return False


def too_deep_message(limit: int = MAX_JSON_DEPTH) -> str:
    return _("The JSON nests more than %(limit)s levels of lists and objects.") % {"limit": limit}


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing with a 400 a body nested thousands of levels deep, which
    DRF's turns into a 500 (RecursionError). The body's size is bounded before: DRF hands a
    JSON parser `request.body`, which DATA_UPLOAD_MAX_MEMORY_SIZE limits."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = parsers.get_encoding(parser_context or {})
        raw = stream.read()
        try:
            text = codecs.decode(raw, encoding)
        except (LookupError, UnicodeDecodeError) as error:
            raise ParseError(
                _("The request body is not %(encoding)s text.") % {"encoding": encoding}
            ) from error
        if json_too_deep(text):
            raise ParseError(too_deep_message())
        parse_constant = json.strict_constant if self.strict else None
        try:
            return json.loads(text, parse_constant=parse_constant)
        except RecursionError as error:
            raise ParseError(too_deep_message()) from error
        except ValueError as error:
            raise ParseError(_("JSON parse error - %(error)s") % {"error": error}) from error


class IdFilter(django_filters.NumberFilter):
    """A filter on an id: a whole number the database can hold. django-filter's NumberFilter
    reads a decimal and lets a 23-digit one reach the database, which fails."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", BIGINT_MAX)
        super().__init__(*args, **kwargs)



def exception_handler(exc, context):
    """The API's one mapping of a service's refusals (core.errors): a wrong field is 400, a
    wrong role 403, out of scope 404 (DRF's own), a state that forbids the action 409."""
    # Imported here: rest_framework.views reads DEFAULT_PARSER_CLASSES, this module's parser,
    # when it is first imported.
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = serializers.ValidationError(detail)
    if isinstance(exc, Refusal):
        return Response({"detail": str(exc)}, status=exc.status_code)
    return drf_exception_handler(exc, context)


def run_service(service, *, rename=None, nested=None, **kwargs):
    """Call a service from an API view, turning its validation errors into a 400 whose keys
    are the fields the caller sent: `rename` maps a key the service names differently
    ({"status": "to"}), `nested` gathers keys under the object that held them ({"person":
    fields of the person}) when that object was sent."""
    try:
        return service(**kwargs)
    except DjangoValidationError as error:
        if not hasattr(error, "error_dict"):
            raise serializers.ValidationError(error.messages) from error
        detail = {}
        for key, messages in error.message_dict.items():
            holder = next(
                (name for name, keys in (nested or {}).items() if name in kwargs and key in keys),
                None,
            )
            if holder is None:
                detail[(rename or {}).get(key, key)] = messages
            else:
                detail.setdefault(holder, {})[key] = messages
        raise serializers.ValidationError(detail) from error


# --- OpenAPI: what every operation may answer besides success ------------------------------

ERROR_RESPONSES = {
    "400": "The request cannot be understood: the body names each wrong field or parameter.",
    "403": "Not signed in, wrong role, second factor not enabled, or CSRF token missing.",
    "404": "No such object within your scope, no such page of results, or no such URL.",
    "409": "Allowed and well formed, but the state of things forbids it now: `detail` says why.",
}
ERROR_SCHEMA = {
    "description": "An error: `detail`, or a list of messages per field.",
    "oneOf": [
        {"type": "object", "additionalProperties": True},
        {"type": "array", "items": {"type": "string"}},
    ],
}
# A time of day as DRF writes it (local time, no offset): JSON Schema's "time" format
# demands an offset (RFC 3339 full-time), which a schedule's local "09:30:00" has not.
LOCAL_TIME = {
    "type": "string",
    "format": "partial-time",
    "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?$",
    "example": "09:30:00",
}


def _local_times(node):
    if isinstance(node, dict):
        if node.get("type") == "string" and node.get("format") == "time":
            node.update(LOCAL_TIME)
        for value in node.values():
            _local_times(value)
    elif isinstance(node, list):
        for value in node:
            _local_times(value)


def document_errors(result, generator, request, public):
    """drf-spectacular post-processing hook: every operation documents the errors it can
    answer (400, 403, 404, and 409 for writes, as JSON), and times of day are documented as
    DRF writes them."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    reference = {"$ref": "#/components/schemas/Error"}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for status, description in ERROR_RESPONSES.items():
                if status == "409" and method in ("get", "head", "options"):
                    continue
                responses.setdefault(
                    status,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": reference}},
                    },
                )
    _local_times(components)
    return result
