"""Programmes, their partners and their funders."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from legami.core.audit import audit

from ..models import Funding, PartnerRole, Programme, ProgrammePartner
from ..permissions import policy
from ._common import check_dates


@transaction.atomic
def programme_create(
    *, by, name, start_date, lead_partner=None, end_date=None, description="", website="", comuni=()
) -> Programme:
    """A programme; its lead partner, when named, must be an organisation `by` may edit (a
    territory administrator leads from their own territory)."""
    policy.authorize(by, "add_programme", lead_partner)
    check_dates(start_date, end_date)
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
    policy.authorize(by, "change_programme", programme)
    check_dates(start_date, end_date)
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
    comuni = list(comuni)
    if set(programme.comuni.values_list("pk", flat=True)) != {c.pk for c in comuni}:
        changed.append("comuni")
        programme.comuni.set(comuni)
    audit(by=by, action="update", obj=programme, changes={"fields": changed})
    return programme


@transaction.atomic
def partner_add(*, by, programme, organisation, role=PartnerRole.PARTNER) -> ProgrammePartner:
    policy.authorize(by, "change_programme", programme)
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
    policy.authorize(by, "change_programme", programme)
    if amount is None or amount < 0:
        raise ValidationError({"amount": _("The amount cannot be negative.")})
    funding = Funding(programme=programme, funder=funder, amount=amount, description=description)
    funding.full_clean()
    funding.save()
    audit(by=by, action="update", obj=programme, changes={"fields": ["fundings"]})
    return funding
