"""Every write of the network module: validated, atomic, audited."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from stdnum.it import codicefiscale, iva

from legami.core.audit import audit
from legami.core.roles import SUPERUSER, effective_role
from legami.territory.queries import comuni_in_scope

from .models import (
    RUNTS_SECTORS,
    BodyMember,
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

ORGANISATION_FIELDS = (
    "name",
    "sector",
    "tax_code",
    "vat_number",
    "runts_number",
    "comune",
    "address",
    "postcode",
    "email",
    "phone",
    "website",
    "description",
)


def normalise_tax_code(value: str) -> str:
    """A valid codice fiscale in canonical form: 11 digits (organisations, checked like a
    partita IVA) or 16 characters (a person, e.g. a sole trader)."""
    value = (value or "").strip().upper().replace(" ", "")
    if not value:
        return ""
    if value.isdigit() and len(value) == 11:
        if not iva.is_valid(value):
            raise ValidationError(
                {"tax_code": _("This codice fiscale is not valid: check digit does not match.")}
            )
        return value
    if len(value) == 16:
        if not codicefiscale.is_valid(value):
            raise ValidationError({"tax_code": _("This codice fiscale is not valid.")})
        return codicefiscale.compact(value)
    raise ValidationError(
        {"tax_code": _("A codice fiscale has 11 digits (organisations) or 16 characters (people).")}
    )


def normalise_vat_number(value: str) -> str:
    value = (value or "").strip().upper().removeprefix("IT").replace(" ", "")
    if value and not iva.is_valid(value):
        raise ValidationError({"vat_number": _("This partita IVA is not valid.")})
    return value


def _clean_organisation(by, data: dict, instance: Organisation | None = None) -> dict:
    data = dict(data)
    data["tax_code"] = normalise_tax_code(data.get("tax_code", ""))
    data["vat_number"] = normalise_vat_number(data.get("vat_number", ""))
    if data.get("runts_number") and data.get("sector") not in RUNTS_SECTORS:
        raise ValidationError(
            {"runts_number": _("Only third-sector organisations are enrolled in RUNTS.")}
        )
    others = Organisation.objects.exclude(pk=instance.pk if instance else None)
    for field, label in (("tax_code", _("codice fiscale")), ("vat_number", _("partita IVA"))):
        if data[field]:
            existing = others.filter(**{field: data[field]}).first()
            if existing is not None:
                raise ValidationError(
                    {
                        field: _("%(name)s already has this %(label)s.")
                        % {"name": existing.name, "label": label}
                    }
                )
    comune = data.get("comune")
    if (
        comune is not None
        and effective_role(by) != SUPERUSER
        and instance is None
        and not comuni_in_scope(by).filter(pk=comune.pk).exists()
    ):
        raise ValidationError({"comune": _("This comune is outside your territory.")})
    return data


def _save(instance, unique_message: str):
    """full_clean then save; a unique clash that slips past the checks (two people saving the
    same organisation at once) becomes a clear message instead of an error page."""
    instance.full_clean()
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        raise ValidationError(unique_message) from None
    return instance


@transaction.atomic
def organisation_create(*, by, **fields) -> Organisation:
    data = _clean_organisation(by, {k: fields.get(k, "") for k in ORGANISATION_FIELDS})
    organisation = _save(Organisation(**data), _("This organisation already exists."))
    audit(by=by, action="create", obj=organisation)
    return organisation


@transaction.atomic
def organisation_update(*, by, organisation: Organisation, **fields) -> Organisation:
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    data = _clean_organisation(
        by, {k: fields.get(k, getattr(organisation, k)) for k in ORGANISATION_FIELDS}, organisation
    )
    changed = sorted(k for k, v in data.items() if getattr(organisation, k) != v)
    for key, value in data.items():
        setattr(organisation, key, value)
    _save(organisation, _("This organisation already exists."))
    audit(by=by, action="update", obj=organisation, changes={"fields": changed})
    return organisation


def _check_dates(start, end, field="end_date"):
    if start and end and end < start:
        raise ValidationError({field: _("The end date comes before the start date.")})


@transaction.atomic
def relationship_create(
    *, by, source, target, kind, start_date, end_date=None, description=""
) -> Relationship:
    _check_dates(start_date, end_date)
    if source == target:
        raise ValidationError(
            {"target": _("An organisation cannot have a relationship with itself.")}
        )
    relationship = Relationship(
        source=source,
        target=target,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        description=description,
    )
    relationship.full_clean()
    relationship.save()
    audit(by=by, action="create", obj=relationship)
    return relationship


@transaction.atomic
def person_create(
    *, by, organisation, role_title, first_name, last_name, email="", phone="", is_demo=False
) -> Person:
    person = Person(
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email,
        phone=phone,
        is_demo=is_demo,
    )
    person.full_clean()
    person.save()
    membership = Membership(person=person, organisation=organisation, role_title=role_title)
    membership.full_clean()
    membership.save()
    audit(by=by, action="create", obj=person, purpose="network contact")
    return person


@transaction.atomic
def person_update(*, by, person: Person, first_name, last_name, email="", phone="") -> Person:
    person = Person.objects.select_for_update().get(pk=person.pk)
    data = {
        "first_name": first_name.strip(),
        "last_name": last_name.strip(),
        "email": email,
        "phone": phone,
    }
    changed = sorted(k for k, v in data.items() if getattr(person, k) != v)
    for key, value in data.items():
        setattr(person, key, value)
    person.full_clean()
    person.save()
    audit(
        by=by, action="update", obj=person, changes={"fields": changed}, purpose="network contact"
    )
    return person


@transaction.atomic
def membership_add(*, by, person, organisation, role_title, start_date=None, end_date=None):
    _check_dates(start_date, end_date)
    if Membership.objects.filter(
        person=person, organisation=organisation, role_title=role_title
    ).exists():
        raise ValidationError({"role_title": _("This person already has this role here.")})
    membership = Membership(
        person=person,
        organisation=organisation,
        role_title=role_title,
        start_date=start_date,
        end_date=end_date,
    )
    membership.full_clean()
    membership.save()
    audit(by=by, action="update", obj=person, changes={"fields": ["memberships"]})
    return membership


@transaction.atomic
def programme_create(
    *, by, name, start_date, lead_partner=None, end_date=None, description="", website="", comuni=()
) -> Programme:
    _check_dates(start_date, end_date)
    if Programme.objects.filter(name__iexact=name.strip()).exists():
        raise ValidationError({"name": _("A programme with this name already exists.")})
    programme = Programme(
        name=name.strip(),
        start_date=start_date,
        end_date=end_date,
        description=description,
        website=website,
    )
    programme.full_clean()
    programme.save()
    programme.comuni.set(comuni)
    if lead_partner is not None:
        ProgrammePartner.objects.create(
            programme=programme, organisation=lead_partner, role=PartnerRole.LEAD
        )
    audit(by=by, action="create", obj=programme)
    return programme


@transaction.atomic
def programme_update(
    *, by, programme, name, start_date, end_date=None, description="", website="", comuni=()
) -> Programme:
    _check_dates(start_date, end_date)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if Programme.objects.filter(name__iexact=name.strip()).exclude(pk=programme.pk).exists():
        raise ValidationError({"name": _("A programme with this name already exists.")})
    data = {
        "name": name.strip(),
        "start_date": start_date,
        "end_date": end_date,
        "description": description,
        "website": website,
    }
    changed = sorted(k for k, v in data.items() if getattr(programme, k) != v)
    for key, value in data.items():
        setattr(programme, key, value)
    programme.full_clean()
    programme.save()
    programme.comuni.set(comuni)
    audit(by=by, action="update", obj=programme, changes={"fields": changed})
    return programme


@transaction.atomic
def partner_add(*, by, programme, organisation, role=PartnerRole.PARTNER) -> ProgrammePartner:
    if programme.partners.filter(organisation=organisation).exists():
        raise ValidationError({"organisation": _("This organisation is already a partner.")})
    if role == PartnerRole.LEAD and programme.partners.filter(role=PartnerRole.LEAD).exists():
        raise ValidationError({"role": _("The programme already has a lead partner.")})
    partner = ProgrammePartner(programme=programme, organisation=organisation, role=role)
    partner.full_clean()
    partner.save()
    audit(by=by, action="update", obj=programme, changes={"fields": ["partners"]})
    return partner


@transaction.atomic
def funding_add(*, by, programme, funder, amount, description="") -> Funding:
    if amount is None or amount < 0:
        raise ValidationError({"amount": _("The amount cannot be negative.")})
    funding = Funding(programme=programme, funder=funder, amount=amount, description=description)
    funding.full_clean()
    funding.save()
    audit(by=by, action="update", obj=programme, changes={"fields": ["fundings"]})
    return funding


@transaction.atomic
def body_create(*, by, programme, name, kind, description="") -> GovernanceBody:
    if GovernanceBody.objects.filter(programme=programme, name__iexact=name.strip()).exists():
        raise ValidationError({"name": _("This programme already has a body with this name.")})
    body = GovernanceBody(
        programme=programme, name=name.strip(), kind=kind, description=description
    )
    body.full_clean()
    body.save()
    audit(by=by, action="create", obj=body)
    return body


@transaction.atomic
def body_member_add(*, by, body, organisation, person=None, seats=1) -> BodyMember:
    if body.members.filter(organisation=organisation).exists():
        raise ValidationError({"organisation": _("This organisation already sits in the body.")})
    member = BodyMember(body=body, organisation=organisation, person=person, seats=seats)
    member.full_clean()
    member.save()
    audit(by=by, action="update", obj=body, changes={"fields": ["members"]})
    return member


@transaction.atomic
def meeting_add(*, by, body, date, comune=None, agenda="", minutes="") -> Meeting:
    meeting = Meeting(body=body, date=date, comune=comune, agenda=agenda, minutes=minutes)
    meeting.full_clean()
    meeting.save()
    audit(by=by, action="create", obj=meeting)
    return meeting
