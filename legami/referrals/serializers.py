"""Input and output shapes of the social-prescribing API (api.py).

Explicit serializers, one per use: what a caller may send, and what each role may read. The
codice fiscale is accepted on input and never written in any output. Free texts about the
person (reason, risks, the "what matters" conversation, goals) and the person's contacts are
null for whoever disclosure.py does not let read them.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_choice_field
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from legami.directory.models import Activity
from legami.network.models import Organisation, Programme
from legami.territory.api import ComuneCodeField

from .consent import CONSENT_ACTIONS
from .disclosure import WHY, Disclosure
from .models import (
    ConsentPurpose,
    ContactChannel,
    EnrolmentStatus,
    Status,
    Urgency,
)
from .services.identity import MERGEABLE_FIELDS

# Ids as the database stores them: larger numbers are refused before they reach a query.
MAX_ID = 2**31 - 1


def _id_field(**kwargs):
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


class NamedChoiceField(serializers.ChoiceField):
    """A choice among one of the module's vocabularies, documented once as a named enum
    (`component`) however many fields use it."""

    def __init__(self, *, component: str, **kwargs):
        self.component = component
        super().__init__(**kwargs)


class NamedChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = NamedChoiceField

    def get_name(self):
        return self.target.component

    def map_serializer_field(self, auto_schema, direction):
        schema = build_choice_field(self.target)
        schema.pop("x-spec-enum-id", None)
        return schema


def referral_status_field(**kwargs):
    return NamedChoiceField(component="ReferralStatusEnum", choices=Status.choices, **kwargs)


def enrolment_status_field(**kwargs):
    return NamedChoiceField(
        component="EnrolmentStatusEnum", choices=EnrolmentStatus.choices, **kwargs
    )


def consent_purpose_field(**kwargs):
    return NamedChoiceField(
        component="ConsentPurposeEnum", choices=ConsentPurpose.choices, **kwargs
    )


# --- input ----------------------------------------------------------------------------------


class ReferralPersonInputSerializer(serializers.Serializer):
    """The person referred. Duplicates are found by codice fiscale, or name and birth date."""

    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    birth_date = serializers.DateField(required=False, allow_null=True)
    tax_code = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        help_text=_("Codice fiscale: validated, stored encrypted, never returned."),
    )
    comune = ComuneCodeField(help_text=_("ISTAT code or name of the comune of residence."))
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True)
    preferred_contact = serializers.ChoiceField(
        choices=ContactChannel.choices, required=False, default=ContactChannel.PHONE
    )
    languages = serializers.CharField(max_length=60, required=False, allow_blank=True)
    access_needs = serializers.CharField(max_length=300, required=False, allow_blank=True)
    needs_step_free = serializers.BooleanField(required=False, default=False)


class ReferralCreateSerializer(serializers.Serializer):
    person = ReferralPersonInputSerializer()
    consents = serializers.ListField(
        child=consent_purpose_field(),
        max_length=len(ConsentPurpose.values),
        help_text=_("Purposes the person consented to; care coordination is required."),
    )
    reasons = serializers.ListField(
        child=_id_field(),
        required=False,
        default=list,
        max_length=50,
        help_text=_("Ids of terms of the `need` vocabulary."),
    )
    reason_text = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, default=""
    )
    urgency = serializers.ChoiceField(
        choices=Urgency.choices, required=False, default=Urgency.ROUTINE
    )
    risks = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    also_if_open = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_(
            "Send a new referral even though the person has an open one from your "
            "organisation (otherwise 409, naming it)."
        ),
    )
    referring_organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("One of your organisations; the first one when left out."),
    )
    programme = serializers.PrimaryKeyRelatedField(
        queryset=Programme.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_(
            "A running programme covering the person's comune; left out, the district's "
            "default programme, if any."
        ),
    )


class ReferralProgrammeSerializer(serializers.Serializer):
    programme = serializers.PrimaryKeyRelatedField(
        queryset=Programme.objects.all(),
        allow_null=True,
        help_text=_("A running programme covering the person's comune; null for none."),
    )


class ReferralTransitionSerializer(serializers.Serializer):
    to = referral_status_field()
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    what_matters = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, allow_null=True, default=None
    )
    goals = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, allow_null=True, default=None
    )


class ReferralAssignSerializer(serializers.Serializer):
    referrals = serializers.ListField(child=_id_field(), min_length=1, max_length=500)
    link_worker = _id_field(help_text=_("Id of an active link worker covering every referral."))


class ReferralAssignResultSerializer(serializers.Serializer):
    assigned = serializers.IntegerField()


class CaseNoteInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=5000)


class CaseNoteSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    at = serializers.DateTimeField()
    author = serializers.CharField(source="author_label")
    text = serializers.CharField()


RATING_INVALID = _("How close the person feels to the goal: write a whole number from 1 to 10.")


class GoalRatingSerializer(serializers.Serializer):
    rating = serializers.IntegerField()
    rated_at = serializers.DateTimeField()
    rated_by = serializers.CharField(source="rated_by_label")


class GoalSerializer(serializers.Serializer):
    """One of the person's goals with every rating, oldest first (link workers of the case)."""

    id = serializers.IntegerField()
    text = serializers.CharField()
    set_on = serializers.DateTimeField(source="created_at")
    set_aside_on = serializers.DateTimeField(source="archived_at", allow_null=True)
    active = serializers.BooleanField(source="is_active")
    first_rating = serializers.IntegerField(source="first_rating.rating", allow_null=True)
    latest_rating = serializers.IntegerField(source="latest_rating.rating", allow_null=True)
    change = serializers.IntegerField(allow_null=True)
    ratings = GoalRatingSerializer(many=True)


class GoalInputSerializer(serializers.Serializer):
    # The service checks both (empty text, 1 to 10) and names the field: one rule, one message.
    text = serializers.CharField(allow_blank=True, trim_whitespace=False)
    rating = serializers.IntegerField(error_messages={"invalid": RATING_INVALID})


class GoalRateLineSerializer(serializers.Serializer):
    goal = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    rating = serializers.IntegerField(error_messages={"invalid": RATING_INVALID})


class GoalRateInputSerializer(serializers.Serializer):
    ratings = GoalRateLineSerializer(many=True, allow_empty=True)


class ReferralEnrolInputSerializer(serializers.Serializer):
    activity = serializers.PrimaryKeyRelatedField(queryset=Activity.objects.all())


class ConsentChangeSerializer(serializers.Serializer):
    """Documents the body of the consents action; it is checked by forms.ConsentChangeForm,
    the same form as the pages'."""

    purpose = consent_purpose_field()
    action = serializers.ChoiceField(choices=CONSENT_ACTIONS)


class MergeInputSerializer(serializers.Serializer):
    take = serializers.ListField(
        child=serializers.ChoiceField(choices=MERGEABLE_FIELDS),
        required=False,
        default=list,
        max_length=len(MERGEABLE_FIELDS),
        help_text=_(
            "Details of this request that replace the record kept (`user`: link its citizen "
            "account); nothing else of the record kept changes."
        ),
    )


class LinkAccountInputSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)


class DuplicateRowSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    here = serializers.CharField(help_text=_("This request's value."))
    there = serializers.CharField(help_text=_("The other record's, masked where private."))
    differs = serializers.BooleanField()
    can_take = serializers.BooleanField()


class DuplicateSerializer(serializers.Serializer):
    record = serializers.IntegerField(source="record.pk", help_text=_("The other record."))
    rows = DuplicateRowSerializer(many=True)
    same_tax_code = serializers.BooleanField()
    account = serializers.CharField(help_text=_("This request's citizen account, if any."))
    can_take_account = serializers.BooleanField()
    other_account_unchecked = serializers.BooleanField(
        help_text=_("The other record is self-declared and linked to an account.")
    )
    referrals = serializers.IntegerField(help_text=_("Referrals of the other record."))


class ConsentStateSerializer(serializers.Serializer):
    active = serializers.ListField(
        child=consent_purpose_field(),
        help_text=_("Purposes the person consents to now."),
    )


class CaseloadParamsSerializer(serializers.Serializer):
    """The link worker's list filters (the same as the caseload page)."""

    view = serializers.ChoiceField(
        choices=[("mine", "mine"), ("unassigned", "unassigned"), ("all", "all")], required=False
    )
    status = serializers.ChoiceField(choices=[("open", "open"), *Status.choices], required=False)
    overdue = serializers.BooleanField(required=False, default=False)
    duplicates = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Only people flagged as a possible duplicate of another record."),
    )
    comune = _id_field(required=False)
    programme = _id_field(required=False)

    def as_params(self) -> dict:
        """Cleaned values in the form CaseloadFilter.from_params reads."""
        data = self.validated_data
        params = {
            key: str(data[key]) for key in ("view", "status", "comune", "programme") if key in data
        }
        for flag in ("overdue", "duplicates"):
            if data.get(flag):
                params[flag] = "1"
        return params


class EnrolmentAnswerSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class AttendanceLineInputSerializer(serializers.Serializer):
    session_date = serializers.DateField()
    present = serializers.BooleanField()


class AttendanceLineSerializer(serializers.Serializer):
    session_date = serializers.DateField()
    status = serializers.CharField()
    present = serializers.BooleanField()


# --- output ---------------------------------------------------------------------------------


class ReferralLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ReferralNeedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()


class ReferralEventSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    by = serializers.CharField(source="by_label")
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    note = serializers.CharField(
        allow_null=True,
        help_text=_("Why the case moved (null for whoever may not read it)."),
    )


class ReferralEnrolmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    activity = ReferralLinkSerializer()
    status = enrolment_status_field()


class ReferralPersonSerializer(serializers.Serializer):
    """The person as the people working on the case see them: no codice fiscale."""

    first_name = serializers.CharField()
    last_name = serializers.CharField()
    birth_date = serializers.DateField(allow_null=True)
    comune = serializers.CharField(source="comune.istat_code", help_text=_("ISTAT code."))
    phone = serializers.CharField(allow_null=True, help_text=_("Null when not shown to you."))
    email = serializers.CharField(allow_null=True, help_text=_("Null when not shown to you."))


def disclosure_of(serializer) -> Disclosure:
    """One Disclosure per response, shared by every row of a list (the context is shared)."""
    context = serializer.context
    if "disclosure" not in context:
        context["disclosure"] = Disclosure(context["request"].user)
    return context["disclosure"]


class ReferralSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = referral_status_field()
    urgency = serializers.ChoiceField(choices=Urgency.choices)
    received_at = serializers.DateTimeField()
    first_contact_due = serializers.DateField()
    is_overdue = serializers.BooleanField(
        read_only=True,
        allow_null=True,
        help_text=_("First contact late (null where not computed)."),
    )
    comune = serializers.CharField(source="comune.istat_code", help_text=_("ISTAT code."))
    link_worker = serializers.IntegerField(source="link_worker_id", allow_null=True)
    programme = serializers.IntegerField(
        source="programme_id", allow_null=True, help_text=_("The programme it counts in.")
    )
    referring_organisation = ReferralLinkSerializer(allow_null=True)
    needs = ReferralNeedSerializer(source="reasons", many=True)
    timeline = ReferralEventSerializer(source="events", many=True)
    enrolments = ReferralEnrolmentSerializer(many=True)
    person = ReferralPersonSerializer(source="beneficiary")
    possible_duplicate_of = serializers.IntegerField(
        source="beneficiary.possible_duplicate_of_id",
        allow_null=True,
        help_text=_("The record the person may be a duplicate of (link workers only)."),
    )
    reason_text = serializers.CharField(allow_null=True)
    risks = serializers.CharField(allow_null=True)
    what_matters = serializers.CharField(allow_null=True)
    goals = serializers.CharField(allow_null=True)

    def to_representation(self, referral):
        data = super().to_representation(referral)
        disclosure = disclosure_of(self)
        readable = disclosure.texts(referral)
        for name in ("reason_text", "risks", "what_matters", "goals"):
            if name not in readable:
                data[name] = None
        if WHY not in readable:
            for event in data["timeline"]:
                event["note"] = None
        if not disclosure.contacts(referral):
            data["person"]["phone"] = data["person"]["email"] = None
        if not disclosure.works_on(referral):
            data["possible_duplicate_of"] = None
        return data


class SuggestionReasonSerializer(serializers.Serializer):
    text = serializers.CharField()
    good = serializers.BooleanField()


class SuggestionSerializer(serializers.Serializer):
    activity = serializers.IntegerField(source="activity.pk")
    name = serializers.CharField(source="activity.name")
    score = serializers.FloatField()
    distance_km = serializers.FloatField(allow_null=True)
    places_left = serializers.IntegerField(allow_null=True)
    reasons = SuggestionReasonSerializer(many=True)


class InboxPersonSerializer(serializers.Serializer):
    """The minimum a provider needs: first name, access needs, and contacts only where the
    person agreed to be contacted."""

    first_name = serializers.CharField()
    access_needs = serializers.CharField()
    needs_step_free = serializers.BooleanField()
    phone = serializers.CharField(allow_null=True)
    email = serializers.CharField(allow_null=True)


class InboxEnrolmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    activity = ReferralLinkSerializer()
    status = enrolment_status_field()
    sent_at = serializers.DateTimeField()
    person = serializers.SerializerMethodField()

    @extend_schema_field(InboxPersonSerializer)
    def get_person(self, enrolment) -> dict:
        person = enrolment.referral.beneficiary
        contact = disclosure_of(self).contacts(enrolment.referral, enrolment=enrolment)
        return InboxPersonSerializer(
            {
                "first_name": person.first_name,
                "access_needs": person.access_needs,
                "needs_step_free": person.needs_step_free,
                "phone": person.phone if contact else None,
                "email": person.email if contact else None,
            }
        ).data
