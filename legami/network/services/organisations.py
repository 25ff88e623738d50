"""Organisations, their relationships and their people."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from stdnum.it import codicefiscale, iva

from legami.core.audit import audit
from legami.core.roles import SUPERUSER, effective_role
from legami.territory.queries import comuni_in_scope

from ..models import RUNTS_SECTORS, Membership, Organisation, Person, Relationship
from ..permissions import policy
from ._common import check_dates, save_clean

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
        and by is not None
        and effective_role(by) != SUPERUSER
        and instance is None
        and not comuni_in_scope(by).filter(pk=comune.pk).exists()
    ):
        raise ValidationError({"comune": _("This comune is outside your territory.")})
    return data


@transaction.atomic
def organisation_create(*, by, **fields) -> Organisation:
    policy.authorize(by, "add_organisation")
    data = _clean_organisation(by, {k: fields.get(k, "") for k in ORGANISATION_FIELDS})
    organisation = save_clean(Organisation(**data), _("This organisation already exists."))
    audit(by=by, action="create", obj=organisation)
    return organisation


@transaction.atomic
def organisation_update(*, by, organisation: Organisation, **fields) -> Organisation:
    policy.authorize(by, "change_organisation", organisation)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    data = _clean_organisation(
        by, {k: fields.get(k, getattr(organisation, k)) for k in ORGANISATION_FIELDS}, organisation
    )
    changed = sorted(k for k, v in data.items() if getattr(organisation, k) != v)
    for key, value in data.items():
        setattr(organisation, key, value)
    save_clean(organisation, _("This organisation already exists."))
    audit(by=by, action="update", obj=organisation, changes={"fields": changed})
    return organisation


@transaction.atomic
def relationship_create(
    *, by, source, target, kind, start_date, end_date=None, description=""
) -> Relationship:
    """A tie from `source`, which `by` must be able to edit, to any organisation."""
    policy.authorize(by, "change_organisation", source)
    check_dates(start_date, end_date)
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
    policy.authorize(by, "add_person", organisation)
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
    policy.authorize(by, "change_person", person)
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
    policy.authorize(by, "change_person", person)
    policy.authorize(by, "add_person", organisation)
    check_dates(start_date, end_date)
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
