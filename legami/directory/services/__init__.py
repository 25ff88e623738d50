"""Every write of the directory: validated, atomic, audited. Each service checks first, itself,
that `by` may do it on that object (the module's policy: 403 for a wrong role, 404 for an
object outside their scope; `by=None` is the system). Pages, API, admin, imports and commands
all come through here."""

from .activities import (
    ALLOWED_STATUS,
    REVERIFY_AFTER,
    activity_create,
    activity_set_status,
    activity_update,
    activity_verify,
    needs_reverification,
)
from .checks import (
    ACTIVITY_FIELDS,
    ITALY_LATITUDE,
    ITALY_LONGITUDE,
    LANGUAGE_CODES,
    PLACE_FIELDS,
    SCHEDULE_FIELDS,
    check_activity,
    check_activity_place,
    check_coordinates,
    check_schedule,
    normalise_languages,
)
from .places import place_create, place_update
from .schedules import (
    cost_option_add,
    cost_option_remove,
    schedule_add,
    schedule_exception_add,
    schedule_remove,
)
from .search import next_session, refresh_next_sessions, reindex, search_document
from .vocabulary import VOCABULARY_VERSION_KEY, check_term, taxonomy_term_save, vocabulary_changed

__all__ = [
    "ACTIVITY_FIELDS",
    "ALLOWED_STATUS",
    "ITALY_LATITUDE",
    "ITALY_LONGITUDE",
    "LANGUAGE_CODES",
    "PLACE_FIELDS",
    "REVERIFY_AFTER",
    "SCHEDULE_FIELDS",
    "VOCABULARY_VERSION_KEY",
    "activity_create",
    "activity_set_status",
    "activity_update",
    "activity_verify",
    "check_activity",
    "check_activity_place",
    "check_coordinates",
    "check_schedule",
    "check_term",
    "cost_option_add",
    "cost_option_remove",
    "needs_reverification",
    "next_session",
    "normalise_languages",
    "place_create",
    "place_update",
    "refresh_next_sessions",
    "reindex",
    "schedule_add",
    "schedule_exception_add",
    "schedule_remove",
    "search_document",
    "taxonomy_term_save",
    "vocabulary_changed",
]
