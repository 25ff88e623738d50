"""Every write of social prescribing. Pages, API, admin and commands all come through here."""

from .enrolment import (
    attendance_record,
    chase_unanswered,
    enrolment_create,
    enrolment_respond,
    enrolment_withdraw,
    places_held,
    places_left,
    places_taken,
    referral_capacity,
)
from .identity import (
    account_link_confirm,
    account_link_request,
    beneficiary_duplicate_dismiss,
    beneficiary_link_account,
    beneficiary_merge,
)
from .lifecycle import (
    case_note_add,
    link_workers_for,
    referral_assign,
    referral_create,
    referral_transition,
    settings_for,
)
from .people import (
    active_consents,
    beneficiary_find_or_create,
    consent_change,
    consent_give,
    consent_withdraw,
    find_duplicate,
)
from .subject import (
    REFERENCE_MAX,
    ErasureGround,
    access_log_rows,
    retention_run,
    subject_erase,
    subject_export,
)
from .timeline import TRANSITIONS, allowed_next

__all__ = [
    "REFERENCE_MAX",
    "TRANSITIONS",
    "ErasureGround",
    "access_log_rows",
    "account_link_confirm",
    "account_link_request",
    "active_consents",
    "allowed_next",
    "attendance_record",
    "beneficiary_duplicate_dismiss",
    "beneficiary_find_or_create",
    "beneficiary_link_account",
    "beneficiary_merge",
    "case_note_add",
    "chase_unanswered",
    "consent_change",
    "consent_give",
    "consent_withdraw",
    "enrolment_create",
    "enrolment_respond",
    "enrolment_withdraw",
    "find_duplicate",
    "link_workers_for",
    "places_held",
    "places_left",
    "places_taken",
    "referral_assign",
    "referral_capacity",
    "referral_create",
    "referral_transition",
    "retention_run",
    "settings_for",
    "subject_erase",
    "subject_export",
]
