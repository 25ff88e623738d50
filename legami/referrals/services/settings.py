"""Writing a district's service levels, matching weights and default programme (territory
administrators)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from legami.core.audit import audit, changed_fields
from legami.territory.models import District
from legami.territory.queries import district_in_scope

from ..models import ReferralSettings
from ..permissions import policy
from .lifecycle import running_programmes

SETTINGS_FIELDS = (
    "first_contact_working_days",
    "provider_reminder_days",
    "provider_return_days",
    "weight_need",
    "weight_distance",
    "weight_schedule",
    "weight_cost",
    "weight_access",
    "weight_language",
    "weight_capacity",
    "default_programme",
)
WEIGHT_MAX = 10


@transaction.atomic
def referral_settings_save(*, by, district: District, **fields) -> ReferralSettings:
    """Create or change the district's settings. Only a territory administrator whose scope
    covers the whole district may; bad values change nothing."""
    policy.authorize(by, "configure")
    districts = District.objects.filter(pk=district.pk)
    if by is not None and not district_in_scope(by, districts).exists():
        raise PermissionDenied
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown settings: %(names)s.") % {"names": ", ".join(sorted(unknown))}
        )
    current = ReferralSettings.objects.select_for_update().filter(district=district).first()
    created = current is None
    settings = current or ReferralSettings(district=district)
    changes = changed_fields(settings, fields)
    for name, value in fields.items():
        setattr(settings, name, value)
    errors = {}
    for name in SETTINGS_FIELDS:
        value = getattr(settings, name)
        if name.startswith("weight_") and value is not None and not 0 <= value <= WEIGHT_MAX:
            errors[name] = _("Give a weight from 0 to 10.")
    if (
        settings.provider_reminder_days
        and settings.provider_return_days
        and settings.provider_return_days <= settings.provider_reminder_days
    ):
        errors["provider_return_days"] = _(
            "Return the referral after the reminder: give more days than the reminder."
        )
    programme = settings.default_programme
    if programme is not None and not (
        running_programmes().filter(pk=programme.pk, comuni__in=district.comuni.all()).exists()
    ):
        errors["default_programme"] = _(
            "Choose a running programme that covers comuni of the district."
        )
    if errors:
        raise ValidationError(errors)
    settings.full_clean()
    settings.save()
    audit(
        by=by,
        action="create" if created else "update",
        obj=settings,
        purpose="referral settings",
        changes=changes,
    )
    return settings
