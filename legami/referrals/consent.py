"""The consent texts a person agrees to, one per purpose. Changing a text means a new version:
consents record the version they were given under."""

from django.utils.translation import gettext_lazy as _

from .models import ConsentPurpose

CONSENT_VERSION = "2026-11"

CONSENT_TEXTS = {
    ConsentPurpose.CARE: _(
        "I agree that the referrer, the link worker of my territory and the activities I choose "
        "use my name, my contacts and the reasons for my referral to organise my path. Only "
        "they see them, only for this."
    ),
    ConsentPurpose.CONTACT: _(
        "I agree to be contacted by phone or e-mail by the link worker and by the activities I "
        "join."
    ),
    ConsentPurpose.OUTCOMES: _(
        "I agree to fill in short well-being questionnaires at the start and at the end, and "
        "that the results are shared with my referrer."
    ),
    ConsentPurpose.RESEARCH: _(
        "I agree that my data, without my name or any way to identify me, are used to study "
        "the effects of the programme."
    ),
}

# Without care coordination there is nothing to coordinate: a referral needs it.
REQUIRED = (ConsentPurpose.CARE,)

# What the one consent form asks (forms.ConsentChangeForm), on every page and in the API.
GIVE = "give"
WITHDRAW = "withdraw"
CONSENT_ACTIONS = [(GIVE, _("give")), (WITHDRAW, _("withdraw"))]
