"""Reads behind the prescriber's and link worker's pages, on top of queries.py."""

from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from legami.core.roles import LINK_WORKER, effective_role
from legami.network.models import Programme
from legami.territory.queries import comuni_in_scope

from .. import queries
from ..models import Beneficiary, CaseNote, Goal, GoalRating, Referral
from ..services.identity import MERGEABLE_FIELDS


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


def _masked_phone(value: str) -> str:
    digits = "".join(ch for ch in value if ch.isdigit())
    return f"••• {digits[-2:]}" if len(digits) > 2 else ("•••" if value else "")


def _masked_email(value: str) -> str:
    local, _at, domain = value.partition("@")
    return f"{local[:1]}•••@{domain}" if value else ""


def _shown(person: Beneficiary, name: str, *, masked: bool) -> str:
    value = getattr(person, name)
    if name == "comune":
        return person.comune.name
    if name == "tax_code":
        return str(_("given")) if value else ""
    if masked and name == "phone":
        return _masked_phone(value)
    if masked and name == "email":
        return _masked_email(value)
    if masked and name == "access_needs":
        return str(_("recorded")) if value else ""
    if name in ("gender", "preferred_contact"):
        return getattr(person, f"get_{name}_display")()
    if isinstance(value, bool):
        return str(_("yes")) if value else str(_("no"))
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return value or ""


def possible_duplicate(referral: Referral) -> dict | None:
    """What a link worker compares before merging the person's record with the one it was
    flagged against: this record's details as typed, the other's enough to ask the person
    ("is your number the one ending in 67?") without reading it out, and which of the new
    details may replace the other's. None when the record is not flagged."""
    person = referral.beneficiary
    if person.possible_duplicate_of_id is None:
        return None
    other = (
        Beneficiary.objects.select_related("comune")
        .filter(pk=person.possible_duplicate_of_id, anonymised_at__isnull=True)
        .first()
    )
    if other is None:
        return None
    rows = []
    for name in MERGEABLE_FIELDS:
        if name == "user":
            continue
        here, there = getattr(person, name), getattr(other, name)
        if name == "comune":
            here, there = person.comune_id, other.comune_id
        rows.append(
            {
                "name": name,
                "label": Beneficiary._meta.get_field(name).verbose_name,
                "here": _shown(person, name, masked=False),
                "there": _shown(other, name, masked=True),
                "differs": here != there,
                "can_take": here != there and here not in ("", None, False),
            }
        )
    return {
        "record": other,
        "rows": rows,
        "same_tax_code": bool(person.tax_code) and person.tax_code == other.tax_code,
        "account": person.user.email if person.user_id else "",
        "can_take_account": person.user_id is not None and other.user_id is None,
        # The other record was typed on the public form and has an account: merging shows this
        # request to that account, so the worker must hear from the person it is theirs.
        "other_account_unchecked": other.self_declared and other.user_id is not None,
        "referrals": other.referrals.count(),
    }


def case_notes(referral: Referral) -> QuerySet:
    return CaseNote.objects.filter(referral=referral).order_by("-at", "-pk")


def goals_of(referral: Referral, *, archived: bool = True) -> list[Goal]:
    """The person's goals on `referral`, oldest first, each with its ratings in the order they
    were given (two queries, whatever the number of follow-ups). Who may read them is the
    caller's to check (disclosure.GOALS)."""
    goals = Goal.objects.filter(referral=referral)
    if not archived:
        goals = goals.filter(archived_at__isnull=True)
    return list(
        goals.order_by("created_at", "pk").prefetch_related(
            Prefetch("ratings", queryset=GoalRating.objects.order_by("rated_at", "pk"))
        )
    )
