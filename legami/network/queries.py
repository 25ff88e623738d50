from django.db.models import Count, Prefetch, Q, QuerySet

from legami.core.roles import PROVIDER, TERRITORY_ADMIN, effective_role
from legami.territory.models import Comune
from legami.territory.queries import comuni_in_scope

from .models import (
    BodyMember,
    Funding,
    GovernanceBody,
    Membership,
    Organisation,
    Person,
    Programme,
    ProgrammePartner,
    Relationship,
)


# --- scopes: which objects a user may change (the permissions module names them) ------------
def organisations_editable(user, organisations: QuerySet) -> QuerySet:
    role = effective_role(user)
    if role == TERRITORY_ADMIN:
        return organisations.filter(comune__in=comuni_in_scope(user))
    if role == PROVIDER:
        return organisations.filter(memberships__person__user=user).distinct()
    return organisations.none()


def people_in_scope(user, people: QuerySet) -> QuerySet:
    if effective_role(user) != TERRITORY_ADMIN:
        return people.none()
    editable = organisations_editable(user, Organisation.objects.all())
    return people.filter(memberships__organisation__in=editable).distinct()


def programmes_editable(user, programmes: QuerySet) -> QuerySet:
    if effective_role(user) != TERRITORY_ADMIN:
        return programmes.none()
    editable = organisations_editable(user, Organisation.objects.all())
    return programmes.filter(partners__role="lead", partners__organisation__in=editable)


def bodies_editable(user, bodies: QuerySet) -> QuerySet:
    programmes = programmes_editable(user, Programme.objects.all())
    return bodies.filter(programme__in=programmes)


# --- reads --------------------------------------------------------------------------------
def search_organisations(*, text: str = "", sector: str = "", comune=None) -> QuerySet:
    organisations = Organisation.objects.select_related("comune__province")
    if text:
        organisations = organisations.filter(
            Q(name__icontains=text) | Q(tax_code=text.upper()) | Q(vat_number=text)
        )
    if sector:
        organisations = organisations.filter(sector=sector)
    if comune is not None:
        organisations = organisations.filter(comune=comune)
    return organisations


def organisation_detail(pk) -> Organisation:
    relationships = Relationship.objects.select_related("source", "target")
    return (
        Organisation.objects.select_related("comune__province__region")
        .prefetch_related(
            Prefetch("relationships_out", queryset=relationships),
            Prefetch("relationships_in", queryset=relationships),
            Prefetch(
                "partnerships",
                queryset=ProgrammePartner.objects.select_related("programme"),
            ),
            Prefetch("memberships", queryset=Membership.objects.select_related("person")),
        )
        .get(pk=pk)
    )


def people(user, text: str = "") -> QuerySet:
    result = Person.objects.prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("organisation"))
    )
    if text:
        result = result.filter(Q(first_name__icontains=text) | Q(last_name__icontains=text))
    return result


def programmes_with_counts() -> QuerySet:
    return (
        Programme.objects.annotate(
            partner_count=Count("partners", distinct=True),
            comune_count=Count("comuni", distinct=True),
        )
        .prefetch_related(
            Prefetch(
                "partners",
                queryset=ProgrammePartner.objects.filter(role="lead").select_related(
                    "organisation"
                ),
                to_attr="leads",
            )
        )
        .order_by("-start_date", "name")
    )


def programme_detail(pk) -> Programme:
    return Programme.objects.prefetch_related(
        Prefetch(
            "partners",
            queryset=ProgrammePartner.objects.select_related(
                "organisation__comune__province"
            ).order_by("role", "organisation__name"),
        ),
        Prefetch("fundings", queryset=Funding.objects.select_related("funder")),
        Prefetch("comuni", queryset=Comune.objects.select_related("province")),
        Prefetch(
            "bodies",
            queryset=GovernanceBody.objects.annotate(
                member_count=Count("members", distinct=True),
                meeting_count=Count("meetings", distinct=True),
            ),
        ),
    ).get(pk=pk)


def body_detail(pk) -> GovernanceBody:
    return (
        GovernanceBody.objects.select_related("programme")
        .prefetch_related(
            Prefetch(
                "members",
                queryset=BodyMember.objects.select_related("organisation", "person").order_by(
                    "organisation__name"
                ),
            ),
            "meetings__comune__province",
        )
        .get(pk=pk)
    )
