"""Every write of the network module. Each service checks, first and inside its transaction,
that `by` may do it on that object (the module's policy: 403 for a wrong role, 404 for an
object outside their scope; `by=None` is the system), validates, writes its audit row and is
atomic. Pages, the API, the admin and the demo loader call these and nothing else."""

from .governance import (
    body_create,
    body_member_add,
    body_member_remove,
    body_member_update,
    body_update,
    decision_add,
    decision_remove,
    decision_update,
    meeting_add,
    meeting_remove,
    meeting_update,
)
from .organisations import (
    ORGANISATION_FIELDS,
    membership_add,
    normalise_tax_code,
    normalise_vat_number,
    organisation_create,
    organisation_update,
    person_create,
    person_update,
    relationship_create,
)
from .programmes import funding_add, partner_add, programme_create, programme_update

__all__ = [
    "ORGANISATION_FIELDS",
    "body_create",
    "body_member_add",
    "body_member_remove",
    "body_member_update",
    "body_update",
    "decision_add",
    "decision_remove",
    "decision_update",
    "funding_add",
    "meeting_add",
    "meeting_remove",
    "meeting_update",
    "membership_add",
    "normalise_tax_code",
    "normalise_vat_number",
    "organisation_create",
    "organisation_update",
    "partner_add",
    "person_create",
    "person_update",
    "programme_create",
    "programme_update",
    "relationship_create",
]
