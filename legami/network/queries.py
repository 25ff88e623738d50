from collections.abc import Iterator

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from legami.core.roles import PROVIDER, TERRITORY_ADMIN, effective_role
from legami.territory.models import Comune
from legami.territory.queries import comuni_in_scope

from .models import (
    BodyMember,
    Decision,
    Funding,
    GovernanceBody,
    Meeting,
    Membership,
    Organisation,
    PartnerRole,
    Person,
    Programme,
    ProgrammePartner,
    Relationship,
)


def organisations_of(user) -> QuerySet:
    """The organisations a user works for today: a membership that has ended (or not begun)
    gives no access to the organisation's people, listings or registers."""
    today = timezone.localdate()
    current = Membership.objects.filter(person__user=user).filter(
        Q(start_date__isnull=True) | Q(start_date__lte=today),
        Q(end_date__isnull=True) | Q(end_date__gte=today),
    )
    return Organisation.objects.filter(pk__in=current.values("organisation"))


# --- scopes: which objects a user may change (the permissions module names them) ------------
def organisations_editable(user, organisations: QuerySet) -> QuerySet:
    role = effective_role(user)
    if role == TERRITORY_ADMIN:
        return organisations.filter(comune__in=comuni_in_scope(user))
    if role == PROVIDER:
        return organisations.filter(pk__in=organisations_of(user).values("pk"))
    return organisations.none()


def people_in_scope(user, people: QuerySet) -> QuerySet:
    if effective_role(user) != TERRITORY_ADMIN:
        return people.none()
    editable = organisations_editable(user, Organisation.objects.all())
    return people.filter(memberships__organisation__in=editable).distinct()


def programmes_editable(user, programmes: QuerySet) -> QuerySet:
    """Programmes a territory administrator may edit: those whose lead partner is in their
    territory, and those with no lead partner at all that cover one of their comuni (a
    programme run together by several comuni, like an Interreg project, belongs to each of
    them). The one rule for the pages, the API and the services, bodies included."""
    if effective_role(user) != TERRITORY_ADMIN:
        return programmes.none()
    comuni = comuni_in_scope(user)
    leads = ProgrammePartner.objects.filter(role=PartnerRole.LEAD)
    led_here = leads.filter(organisation__comune__in=comuni).values("programme_id")
    covers_here = Programme.comuni.through.objects.filter(comune__in=comuni).values("programme_id")
    return programmes.filter(
        Q(pk__in=led_here) | (Q(pk__in=covers_here) & ~Q(pk__in=leads.values("programme_id")))
    )


def bodies_editable(user, bodies: QuerySet) -> QuerySet:
    programmes = programmes_editable(user, Programme.objects.all())
    return bodies.filter(programme__in=programmes)


# --- reads --------------------------------------------------------------------------------
def search_organisations(
    *, text: str = "", sector: str = "", comune=None, organisations: QuerySet | None = None
) -> QuerySet:
    """Organisations by name (any part of it), codice fiscale or partita IVA (typed with
    spaces, in lower case or with the "IT" prefix): the one search of the page and the API."""
    if organisations is None:
        organisations = Organisation.objects.select_related("comune__province")
    text = (text or "").strip()
    if text:
        code = text.upper().replace(" ", "")
        organisations = organisations.filter(
            Q(name__icontains=text) | Q(tax_code=code) | Q(vat_number=code.removeprefix("IT"))
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
    """A body with its members, its meetings (newest first, with who attended and what they
    decided) and its decisions (soonest due first), in a fixed number of queries."""
    return (
        GovernanceBody.objects.select_related("programme")
        .prefetch_related(
            Prefetch(
                "members",
                queryset=BodyMember.objects.select_related("organisation", "person").order_by(
                    "organisation__name"
                ),
            ),
            Prefetch(
                "meetings",
                queryset=Meeting.objects.select_related("comune__province").annotate(
                    decision_count=Count("decisions", distinct=True),
                    attendee_count=Count("attendees", distinct=True),
                ),
            ),
        )
        .get(pk=pk)
    )


def body_decisions(body) -> QuerySet:
    return Decision.objects.filter(meeting__body=body).select_related("owner", "meeting")


def meeting_detail(pk) -> Meeting:
    return (
        Meeting.objects.select_related("body__programme", "comune__province")
        .prefetch_related(
            Prefetch("attendees", queryset=Organisation.objects.order_by("name")),
            Prefetch("decisions", queryset=Decision.objects.select_related("owner")),
            Prefetch(
                "body__members",
                queryset=BodyMember.objects.select_related("organisation").order_by(
                    "organisation__name"
                ),
            ),
        )
        .get(pk=pk)
    )


def attendance(meeting) -> list[tuple[Organisation, bool]]:
    """Each organisation of the meeting's roll with whether it was present: today's members,
    and those that attended and have left the body since."""
    present = {o.pk: o for o in meeting.attendees.all()}
    roll = {m.organisation.pk: m.organisation for m in meeting.body.members.all()}
    roll.update(present)
    return sorted(((o, o.pk in present) for o in roll.values()), key=lambda row: row[0].name)


def bodies_for_api() -> QuerySet:
    return GovernanceBody.objects.select_related("programme").prefetch_related(
        Prefetch("members", queryset=BodyMember.objects.select_related("organisation")),
        Prefetch(
            "meetings",
            queryset=Meeting.objects.select_related("comune").prefetch_related(
                "attendees",
                Prefetch("decisions", queryset=Decision.objects.select_related("owner")),
            ),
        ),
    )


# An export of the list is cut here: narrowing the search gives the rest.
ORGANISATION_EXPORT_LIMIT = 20_000


def organisation_export_rows(organisations: QuerySet) -> Iterator[list]:
    """The organisations of the list page as table rows, header first: what the page shows
    and the public contacts of each. The ISTAT code is text, so "053001" keeps its zero."""
    yield [
        _("Name"),
        _("Sector"),
        _("Comune"),
        _("ISTAT code"),
        _("Province"),
        _("Address"),
        _("Postcode"),
        _("Codice fiscale"),
        _("Partita IVA"),
        _("RUNTS number"),
        _("Phone"),
        _("E-mail"),
        _("Website"),
    ]
    organisations = organisations.select_related("comune__province").order_by("name", "pk")
    for o in organisations[:ORGANISATION_EXPORT_LIMIT].iterator(chunk_size=2000):
        yield [
            o.name,
            str(o.get_sector_display()),
            o.comune.name,
            str(o.comune.istat_code),
            o.comune.province.abbreviation,
            o.address,
            o.postcode,
            o.tax_code,
            o.vat_number,
            o.runts_number,
            o.phone,
            o.email,
            o.website,
        ]
