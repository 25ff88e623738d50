"""Who sees which referral: the one place the rule is written, used by lists, single objects,
the API and the admin (through permissions.policy).

- a prescriber: the referrals of the organisations they belong to;
- a link worker: the referrals of people living in the comuni they work on (their
  jurisdictions), assigned to them or waiting for someone;
- a provider: only enrolments into its own organisations' activities (and those activities,
  for their session registers), never the referral;
- a citizen: their own;
- everyone else (territory admin, evaluator): none. They see aggregates: a territory
  admin, counts of the referrals of the comuni they work on (`referrals_counted`).
"""

from django.db.models import QuerySet

from legami.core.roles import (
    CITIZEN,
    LINK_WORKER,
    PRESCRIBER,
    PROVIDER,
    TERRITORY_ADMIN,
    effective_role,
)
from legami.directory.models import Activity
from legami.network.queries import organisations_of
from legami.territory.queries import comuni_in_scope

from .models import Referral


def member_organisations(user) -> QuerySet:
    return organisations_of(user)


def referrals_visible(user, referrals: QuerySet) -> QuerySet:
    role = effective_role(user)
    if role == PRESCRIBER:
        return referrals.filter(referring_organisation__in=member_organisations(user))
    if role == LINK_WORKER:
        return referrals.filter(comune__in=comuni_in_scope(user))
    if role == CITIZEN:
        return referrals.filter(beneficiary__user=user)
    return referrals.none()


def referrals_workable(user, referrals: QuerySet) -> QuerySet:
    if effective_role(user) != LINK_WORKER:
        return referrals.none()
    return referrals.filter(comune__in=comuni_in_scope(user))


def referrals_followed(user, referrals: QuerySet) -> QuerySet:
    """The referrals someone follows: the prescriber the ones they made (not their
    colleagues'), the link worker those they may work on."""
    role = effective_role(user)
    if role == PRESCRIBER:
        return referrals.filter(referrer=user)
    return referrals_workable(user, referrals)


def beneficiaries_in_care(user, beneficiaries: QuerySet) -> QuerySet:
    """The people whose consents someone records: a citizen their own record, a link worker
    the people with a referral they may work on."""
    role = effective_role(user)
    if role == CITIZEN:
        return beneficiaries.filter(user=user)
    if role == LINK_WORKER:
        workable = referrals_workable(user, Referral.objects.all())
        return beneficiaries.filter(pk__in=workable.values("beneficiary_id"))
    return beneficiaries.none()


def referrals_counted(user, referrals: QuerySet) -> QuerySet:
    """The referrals a territory admin's aggregates count: those of people living in the comuni
    of their jurisdictions. Never listed, only counted (and small counts hidden)."""
    if effective_role(user) != TERRITORY_ADMIN:
        return referrals.none()
    return referrals.filter(comune__in=comuni_in_scope(user))


def enrolments_for_provider(user, enrolments: QuerySet) -> QuerySet:
    """Enrolments into the provider's activities; given activities, those activities (a
    register is kept per activity, by whoever answers its referrals)."""
    if effective_role(user) != PROVIDER:
        return enrolments.none()
    if enrolments.model is Activity:
        return enrolments.filter(organisation__in=member_organisations(user))
    return enrolments.filter(activity__organisation__in=member_organisations(user))


def beneficiaries_of_citizen(user, beneficiaries: QuerySet) -> QuerySet:
    if effective_role(user) != CITIZEN:
        return beneficiaries.none()
    return beneficiaries.filter(user=user)
