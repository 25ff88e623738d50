"""Governance bodies (a cabina di regia, a working table): their members, their meetings with
minutes and attendance, and the decisions taken there, each with an owner and a due date.

Every write here is a change to the body, so each checks the one action "change_body" on the
body concerned."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from legami.core.audit import audit
from legami.core.errors import Refusal

from ..models import BodyMember, Decision, GovernanceBody, Meeting, Membership, Person
from ..permissions import policy


@transaction.atomic
def body_create(*, by, programme, name, kind, description="") -> GovernanceBody:
    if programme is None:
        raise ValidationError({"programme": _("Choose the programme this body governs.")})
    policy.authorize(by, "change_programme", programme)
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
def body_update(*, by, body, name, kind, description="") -> GovernanceBody:
    policy.authorize(by, "change_body", body)
    body = GovernanceBody.objects.select_for_update().get(pk=body.pk)
    name = name.strip()
    others = GovernanceBody.objects.filter(programme=body.programme_id, name__iexact=name)
    if others.exclude(pk=body.pk).exists():
        raise ValidationError({"name": _("This programme already has a body with this name.")})
    data = {"name": name, "kind": kind, "description": description}
    changed = sorted(k for k, v in data.items() if getattr(body, k) != v)
    for key, value in data.items():
        setattr(body, key, value)
    body.full_clean()
    body.save()
    audit(by=by, action="update", obj=body, changes={"fields": changed})
    return body


# --- members ------------------------------------------------------------------------------
def _check_representative(by, organisation, person) -> None:
    """A representative is one of the organisation's people, and one `by` may see: an id
    typed into the API cannot name someone from elsewhere (the same message either way, so
    it cannot be used to probe who works where)."""
    if person is None:
        return
    people = Person.objects.filter(pk=person.pk)
    if by is not None:
        people = policy.scope(by, "view_person", people)
    works_there = Membership.objects.filter(person__in=people, organisation=organisation)
    if not works_there.exists():
        raise ValidationError(
            {
                "person": _("The representative must be one of the people of %(name)s.")
                % {"name": organisation.name}
            }
        )


@transaction.atomic
def body_member_add(*, by, body, organisation, person=None, seats=1) -> BodyMember:
    policy.authorize(by, "change_body", body)
    if body.members.filter(organisation=organisation).exists():
        raise ValidationError({"organisation": _("This organisation already sits in the body.")})
    _check_representative(by, organisation, person)
    member = BodyMember(body=body, organisation=organisation, person=person, seats=seats)
    member.full_clean()
    member.save()
    audit(by=by, action="update", obj=body, changes={"fields": ["members"]})
    return member


@transaction.atomic
def body_member_update(*, by, member, person=None, seats=1) -> BodyMember:
    """Change a member's representative or seats; the organisation that sits is the member
    itself (another organisation is another member)."""
    policy.authorize(by, "change_body", member.body)
    member = BodyMember.objects.select_for_update().select_related("organisation").get(pk=member.pk)
    if person is not None and person.pk != member.person_id:
        _check_representative(by, member.organisation, person)
    changed = sorted(
        name
        for name, value in (("person_id", getattr(person, "pk", None)), ("seats", seats))
        if getattr(member, name) != value
    )
    member.person, member.seats = person, seats
    member.full_clean()
    member.save()
    audit(
        by=by,
        action="update",
        obj=member.body,
        changes={"fields": ["members"], "member": member.pk, "member_fields": changed},
    )
    return member


@transaction.atomic
def body_member_remove(*, by, member) -> None:
    """An organisation leaves the body. Its past attendance stays in the minutes; a decision
    it still owes must first be given to another member, so that no commitment is left with
    nobody at the table."""
    policy.authorize(by, "change_body", member.body)
    member = (
        BodyMember.objects.select_for_update()
        .select_related("organisation", "body")
        .get(pk=member.pk)
    )
    still_due = Decision.objects.filter(
        meeting__body=member.body_id,
        owner=member.organisation_id,
        due_date__gte=timezone.localdate(),
    ).count()
    if still_due:
        raise Refusal(
            ngettext(
                "%(name)s still owes %(n)s decision of this body: give it to another member "
                "before removing %(name)s.",
                "%(name)s still owes %(n)s decisions of this body: give them to another "
                "member before removing %(name)s.",
                still_due,
            )
            % {"name": member.organisation.name, "n": still_due}
        )
    audit(
        by=by,
        action="update",
        obj=member.body,
        changes={"fields": ["members"], "removed": member.organisation_id},
    )
    member.delete()


# --- meetings -----------------------------------------------------------------------------
def _check_attendees(body, attendees, already=()) -> list:
    """Those present sit in the body (or, for a meeting recorded earlier, had been recorded
    present before they left it)."""
    attendees = list(attendees)
    allowed = set(body.members.values_list("organisation_id", flat=True)) | set(already)
    strangers = [o.name for o in attendees if o.pk not in allowed]
    if strangers:
        raise ValidationError(
            {
                "attendees": _("Not a member of this body: %(names)s.")
                % {"names": ", ".join(strangers)}
            }
        )
    return attendees


@transaction.atomic
def meeting_add(*, by, body, date, comune=None, agenda="", minutes="", attendees=()) -> Meeting:
    policy.authorize(by, "change_body", body)
    attendees = _check_attendees(body, attendees)
    meeting = Meeting(body=body, date=date, comune=comune, agenda=agenda, minutes=minutes)
    meeting.full_clean()
    meeting.save()
    meeting.attendees.set(attendees)
    audit(by=by, action="create", obj=meeting)
    return meeting


@transaction.atomic
def meeting_update(
    *, by, meeting, date, comune=None, agenda="", minutes="", attendees=()
) -> Meeting:
    policy.authorize(by, "change_body", meeting.body)
    meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    already = set(meeting.attendees.values_list("pk", flat=True))
    attendees = _check_attendees(meeting.body, attendees, already)
    if date is not None and meeting.decisions.filter(due_date__lt=date).exists():
        raise ValidationError(
            {"date": _("Some decisions of this meeting are due before this date.")}
        )
    data = {"date": date, "comune": comune, "agenda": agenda, "minutes": minutes}
    changed = sorted(k for k, v in data.items() if getattr(meeting, k) != v)
    if already != {o.pk for o in attendees}:
        changed.append("attendees")
    for key, value in data.items():
        setattr(meeting, key, value)
    meeting.full_clean()
    meeting.save()
    meeting.attendees.set(attendees)
    audit(by=by, action="update", obj=meeting, changes={"fields": changed})
    return meeting


@transaction.atomic
def meeting_remove(*, by, meeting) -> None:
    """A meeting recorded by mistake goes, with its decisions; the audit row counts them."""
    policy.authorize(by, "change_body", meeting.body)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    audit(by=by, action="delete", obj=meeting, changes={"decisions": meeting.decisions.count()})
    meeting.delete()


# --- decisions ----------------------------------------------------------------------------
def _clean_decision(meeting, text, owner, due_date, current_owner=None) -> str:
    text = (text or "").strip()
    errors = {}
    if not text:
        errors["text"] = _("Write what was decided.")
    sitting = meeting.body.members.filter(organisation=owner).exists()
    if owner is None or not (sitting or owner.pk == current_owner):
        errors["owner"] = _("The owner of a decision is a member of the body.")
    if due_date is not None and due_date < meeting.date:
        errors["due_date"] = _("The due date comes before the meeting.")
    if errors:
        raise ValidationError(errors)
    return text


@transaction.atomic
def decision_add(*, by, meeting, text, owner, due_date) -> Decision:
    policy.authorize(by, "change_body", meeting.body)
    text = _clean_decision(meeting, text, owner, due_date)
    decision = Decision(meeting=meeting, text=text, owner=owner, due_date=due_date)
    decision.full_clean()
    decision.save()
    audit(by=by, action="create", obj=decision)
    return decision


@transaction.atomic
def decision_update(*, by, decision, text, owner, due_date) -> Decision:
    policy.authorize(by, "change_body", decision.meeting.body)
    decision = (
        Decision.objects.select_for_update().select_related("meeting__body").get(pk=decision.pk)
    )
    text = _clean_decision(decision.meeting, text, owner, due_date, decision.owner_id)
    data = {"text": text, "owner": owner, "due_date": due_date}
    changed = sorted(k for k, v in data.items() if getattr(decision, k) != v)
    for key, value in data.items():
        setattr(decision, key, value)
    decision.full_clean()
    decision.save()
    audit(by=by, action="update", obj=decision, changes={"fields": changed})
    return decision


@transaction.atomic
def decision_remove(*, by, decision) -> None:
    policy.authorize(by, "change_body", decision.meeting.body)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    audit(by=by, action="delete", obj=decision)
    decision.delete()
