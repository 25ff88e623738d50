"""Governance bodies: the body's page, its members, its meetings (minutes, attendance) and
the decisions taken at them. Each page fetches what it changes through the policy's scope
(404 outside it) and leaves every rule to the services."""

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from legami.core.permissions import permission_required
from legami.core.views_helpers import submit_form

from .. import queries, services
from ..forms import (
    BodyForm,
    BodyMemberEditForm,
    BodyMemberForm,
    ConfirmForm,
    DecisionForm,
    MeetingForm,
)
from ..models import BodyMember, Decision, GovernanceBody, Meeting, Organisation, Person
from ..permissions import policy
from ._common import form_page, get_or_404


def body_url(body) -> str:
    return reverse("network:body_detail", args=[body.pk])


def meeting_url(meeting) -> str:
    return reverse("network:meeting_detail", args=[meeting.pk])


def _editable_bodies(request):
    return policy.scope(request.user, "change_body", GovernanceBody.objects.all())


def _body(request, pk) -> GovernanceBody:
    return policy.get_object_or_404(request.user, "change_body", GovernanceBody.objects, pk=pk)


def _member(request, pk) -> BodyMember:
    return get_or_404(
        lambda pk: BodyMember.objects.select_related("body", "organisation", "person").get(
            pk=pk, body__in=_editable_bodies(request)
        ),
        pk,
    )


def _meeting(request, pk) -> Meeting:
    return get_or_404(
        lambda pk: Meeting.objects.select_related("body").get(
            pk=pk, body__in=_editable_bodies(request)
        ),
        pk,
    )


def _decision(request, pk) -> Decision:
    return get_or_404(
        lambda pk: Decision.objects.select_related("meeting__body", "owner").get(
            pk=pk, meeting__body__in=_editable_bodies(request)
        ),
        pk,
    )


def _member_organisations(body, *also) -> object:
    """The organisations sitting in `body`, and those in `also` (an owner or attendees
    recorded before they left), as choices."""
    sitting = body.members.values("organisation_id")
    return Organisation.objects.filter(Q(pk__in=sitting) | Q(pk__in=also)).order_by("name")


def _confirm(request, act, *, title, done, next_url, intro=""):
    """GET asks; POST calls the service `act` and goes to `next_url`; a refusal is shown on
    the page with nothing changed."""
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if submit_form(request, form, lambda data: act() or True):
        messages.success(request, done)
        return redirect(next_url)
    return form_page(
        request, form, title=title, back_url=next_url, submit_label=_("Remove"), intro=intro
    )


# --- the body ---------------------------------------------------------------------------------
@require_GET
@permission_required(policy, "view")
def body_detail(request, pk):
    body = get_or_404(queries.body_detail, pk)
    return render(
        request,
        "network/body_detail.html",
        {
            "body": body,
            "decisions": queries.body_decisions(body),
            "can_change": request.user.is_authenticated
            and policy.can(request.user, "change_body", body),
            "can_see_people": policy.allows(request.user, "view_person"),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(policy, "change_body")
def body_edit(request, pk):
    body = _body(request, pk)
    initial = {"name": body.name, "kind": body.kind, "description": body.description}
    form = BodyForm(request.POST or None, initial=initial)
    if submit_form(
        request, form, lambda data: services.body_update(by=request.user, body=body, **data)
    ):
        messages.success(request, _("Governance body saved."))
        return redirect(body_url(body))
    return form_page(
        request, form, title=_("Edit %(name)s") % {"name": body.name}, back_url=body_url(body)
    )


# --- members ------------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@permission_required(policy, "change_body")
def body_member_add(request, pk):
    body = _body(request, pk)
    people = policy.scope(request.user, "view_person", Person.objects.all())
    form = BodyMemberForm(request.POST or None, people=people)
    if submit_form(
        request, form, lambda data: services.body_member_add(by=request.user, body=body, **data)
    ):
        messages.success(request, _("Member added."))
        return redirect(body_url(body))
    return form_page(
        request,
        form,
        title=_("Add a member to %(name)s") % {"name": body.name},
        back_url=body_url(body),
    )


@require_http_methods(["GET", "POST"])
@permission_required(policy, "change_body")
def body_member_edit(request, pk):
    member = _member(request, pk)
    people = policy.scope(
        request.user,
        "view_person",
        Person.objects.filter(memberships__organisation=member.organisation).distinct(),
    )
    form = BodyMemberEditForm(
        request.POST or None,
        people=people,
        initial={"person": member.person_id, "seats": member.seats},
    )
    if submit_form(
        request,
        form,
        lambda data: services.body_member_update(by=request.user, member=member, **data),
    ):
        messages.success(request, _("Member saved."))
        return redirect(body_url(member.body))
    return form_page(
        request,
        form,
        title=_("%(organisation)s in %(body)s")
        % {"organisation": member.organisation.name, "body": member.body.name},
        back_url=body_url(member.body),
    )


@require_http_methods(["GET", "POST"])
@permission_required(policy, "change_body")
def body_member_remove(request, pk):
    member = _member(request, pk)
    return _confirm(
        request,
        lambda: services.body_member_remove(by=request.user, member=member),
        title=_("Remove %(organisation)s from %(body)s?")
        % {"organisation": member.organisation.name, "body": member.body.name},
        done=_("Member removed."),
        next_url=body_url(member.body),
        intro=_("The meetings it attended keep it among those present."),
    )


# --- meetings -----------------------------------------------------------------------------------
@require_GET
@permission_required(policy, "view")
def meeting_detail(request, pk):
    meeting = get_or_404(queries.meeting_detail, pk)
    return render(
        request,
        "network/meeting_detail.html",
        {
            "meeting": meeting,
            "body": meeting.body,
            "attendance": queries.attendance(meeting),
            "can_change": request.user.is_authenticated
            and policy.can(request.user, "change_body", meeting.body),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(policy, "change_body")
def meeting_add(request, pk):
    body = _body(request, pk)
    form = MeetingForm(request.POST or None, organisations=_member_organisations(body))
    meeting = submit_form(
        request, form, lambda data: services.meeting_add(by=request.user, body=body, **data)
    )
    if meeting:
        messages.success(request, _("Meeting recorded."))
        return redirect(meeting_url(meeting))
    return form_page(
        request,
        form,
        title=_("New meeting of %(name)s") % {"name": body.name},
        back_url=body_url(body),
    )


@require_http_methods(["GET", "POST"])
@permission_required(policy, "change_body")
def meeting_edit(request, pk):
    meeting = _meeting(request, pk)
    present = list(meeting.attendees.values_list("pk", flat=True))
    form = MeetingForm(
        request.POST or None,
        organisations=_member_organisations(meeting.body, *present),
        initial={
            "date": meeting.date,
            "comune": meeting.comune,
            "agenda": meeting.agenda,
            "minutes": meeting.minutes,
            "attendees": present,
        },
    )
    if submit_form(
        request,
        form,
        lambda data: services.meeting_update(by=request.user, meeting=meeting, **data),
    ):
        messages.success(request, _("Meeting saved."))
        return redirect(meeting_url(meeting))
    return form_page(
        request,
        form,
        title=_("Meeting of %(name)s") % {"name": meeting.body.name},
        back_url=meeting_url(meeting),
    )


@require_http_methods(["GET", "POST"])
@permission_required(policy, "change_body")
def meeting_remove(request, pk):
    meeting = _meeting(request, pk)
    return _confirm(
        request,
        lambda: services.meeting_remove(by=request.user, meeting=meeting),
        title=_("Remove the meeting of %(date)s?") % {"date": date_format(meeting.date)},
        done=_("Meeting removed."),
        next_url=body_url(meeting.body),
        intro=_("Its minutes, attendance and decisions are removed with it."),
    )


# --- decisions ----------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@permission_required(policy, "change_body")
def decision_add(request, pk):
    meeting = _meeting(request, pk)
    form = DecisionForm(request.POST or None, organisations=_member_organisations(meeting.body))
    if submit_form(
        request,
        form,
        lambda data: services.decision_add(by=request.user, meeting=meeting, **data),
    ):
        messages.success(request, _("Decision recorded."))
        return redirect(meeting_url(meeting))
    return form_page(request, form, title=_("New decision"), back_url=meeting_url(meeting))


@require_http_methods(["GET", "POST"])
@permission_required(policy, "change_body")
def decision_edit(request, pk):
    decision = _decision(request, pk)
    meeting = decision.meeting
    form = DecisionForm(
        request.POST or None,
        organisations=_member_organisations(meeting.body, decision.owner_id),
        initial={"text": decision.text, "owner": decision.owner_id, "due_date": decision.due_date},
    )
    if submit_form(
        request,
        form,
        lambda data: services.decision_update(by=request.user, decision=decision, **data),
    ):
        messages.success(request, _("Decision saved."))
        return redirect(meeting_url(meeting))
    return form_page(request, form, title=_("Edit the decision"), back_url=meeting_url(meeting))


@require_http_methods(["GET", "POST"])
@permission_required(policy, "change_body")
def decision_remove(request, pk):
    decision = _decision(request, pk)
    return _confirm(
        request,
        lambda: services.decision_remove(by=request.user, decision=decision),
        title=_("Remove the decision “%(text)s”?") % {"text": decision},
        done=_("Decision removed."),
        next_url=meeting_url(decision.meeting),
    )
