"""Reads behind the prescriber's and link worker's pages, on top of queries.py."""

from django.db.models import QuerySet

from legami.core.roles import LINK_WORKER, SUPERUSER, effective_role
from legami.network.models import Programme
from legami.territory.queries import comuni_in_scope

from . import queries
from .models import CaseNote, Referral


def caseload_filter_choices(user) -> dict:
    """The comuni and programmes the caseload filters offer: those of the user's territory
    (names and ids only: 113 comuni of a province are one narrow query)."""
    comuni = comuni_in_scope(user)
    # Programmes covering the territory: read from the programmes' own comuni, not by
    # scanning every referral in scope (40 ms at province scale).
    programmes = Programme.objects.filter(comuni__in=comuni).distinct().order_by("name")
    return {
        "comuni": list(comuni.order_by("name").values("pk", "name")),
        "programmes": list(programmes.values("pk", "name")),
    }


def assignable_link_workers(user, comune_ids) -> list:
    """Link workers who cover every comune of the rows shown (the service checks again)."""
    comune_ids = sorted(set(comune_ids))
    if not comune_ids:
        return [user] if effective_role(user) == LINK_WORKER else []
    return queries.link_workers_covering(comune_ids)


def can_read_risks(user, referral: Referral) -> bool:
    """The risk text is for the link workers of the territory and the prescriber who wrote it;
    others who may read the referral see only that there is a flag."""
    role = effective_role(user)
    if role == SUPERUSER:
        return True
    if role == LINK_WORKER:
        return True  # the referral was already fetched within the link worker's scope
    return referral.referrer_id is not None and referral.referrer_id == user.pk


def case_notes(referral: Referral) -> QuerySet:
    return CaseNote.objects.filter(referral=referral).order_by("-at", "-pk")
