"""Pages of the prescriber (refers, follows the loop) and of the link worker (caseload,
lifecycle, notes, consents, matching, enrolments). Thin: permission -> query -> form ->
service -> redirect; a refused action becomes a message, never a 500."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from legami.accounts.models import User
from legami.core.audit import audit, audit_shown
from legami.core.errors import Refusal
from legami.core.modules import case_reminders
from legami.core.permissions import permission_required
from legami.core.roles import CITIZEN, LINK_WORKER, effective_role
from legami.core.views_helpers import (
    add_service_errors,
    id_param,
    paginate,
    safe_next,
)
from legami.directory.models import Activity
from legami.territory.text import described

from .. import matching, queries, services
from ..consent import CONSENT_TEXTS, GIVE, REQUIRED
from ..disclosure import GOALS, Disclosure
from ..forms import (
    PART_OF_DAY_CHOICES,
    WEEKDAY_CHOICES,
    ConsentChangeForm,
    EnrolForm,
    ProgrammeForm,
    ReferralForm,
    TransitionForm,
    consent_field_name,
)
from ..models import (
    ENDED_STATUSES,
    MAX_ACTIVE_GOALS,
    ConsentPurpose,
    Enrolment,
    EnrolmentStatus,
    Goal,
    Referral,
    Status,
)
from ..permissions import policy
from ..queries import cases as queries_cases
from ..scopes import member_organisations
from ..services.enrolment import CAN_ENROL
from ..services.timeline import NEEDS_REASON


def _error_text(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


def _detail(pk):
    return redirect("referrals:detail", pk=pk)


def _workable(request, pk) -> Referral:
    """A referral the link worker may act on: 403 for other roles, 404 outside the territory."""
    return policy.get_object_or_404(
        request.user, "work", Referral.objects.select_related("beneficiary", "comune"), pk=pk
    )


def _age(birth_date: date | None) -> int | None:
    if birth_date is None:
        return None
    today = timezone.localdate()
    return (
        today.year
        - birth_date.year
        - ((today.month, today.day) < (birth_date.month, birth_date.day))
    )


# --- prescriber ------------------------------------------------------------------------------
@require_GET
@permission_required(policy, "view")
def referral_list(request):
    role = effective_role(request.user)
    if role == LINK_WORKER:
        return redirect("referrals:caseload")
    if role == CITIZEN:
        return redirect("referrals:my_data")
    page = paginate(request, queries.referrals_made(request.user, with_texts=False))
    audit_shown(by=request.user, purpose="referrals made", objects=page.object_list)
    return render(request, "referrals/list.html", {"page_obj": page})


def _create_errors(form, error: ValidationError) -> None:
    """The service names the consents as one key: show it on the required consent's box."""
    if hasattr(error, "error_dict"):
        renamed = {}
        for key, messages_ in error.message_dict.items():
            target = consent_field_name(REQUIRED[0]) if key == "consents" else key
            renamed.setdefault(target, []).extend(messages_)
        error = ValidationError(renamed)
    add_service_errors(form, error)


@require_http_methods(["GET", "POST"])
@permission_required(policy, "refer")
def referral_create(request):
    organisations = member_organisations(request.user).order_by("name")
    form = ReferralForm(request.POST or None, organisations=organisations)
    referral = open_referral = None
    choice = request.POST.get("open_referral", "")
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        try:
            if choice == "add":
                target = queries.referral_detail(request.user, request.POST.get("open_pk"))
                referral = services.referral_add_to_open(
                    by=request.user,
                    referral=target,
                    person=data["person"],
                    reasons=data["reasons"],
                    reason_text=data["reason_text"],
                )
                messages.success(
                    request,
                    _("Added to the open referral: its link workers have been told."),
                )
                return _detail(referral.pk)
            referral = services.referral_create(
                by=request.user, also_if_open=choice == "new", **data
            )
        except ValidationError as error:
            _create_errors(form, error)
        except services.OpenReferralExists as refusal:
            open_referral = refusal.referral
            form.add_error(None, refusal.message)
    if referral is not None:
        messages.success(
            request,
            _("Referral sent: the link workers of %(comune)s have been told.")
            % {"comune": referral.comune.name},
        )
        return _detail(referral.pk)
    return render(
        request, "referrals/create.html", {"form": form, "open_referral": open_referral}
    )


# --- link worker: caseload ---------------------------------------------------------------------
@require_GET
@permission_required(policy, "work")
def caseload(request):
    filters = queries.CaseloadFilter.from_params(request.GET)
    page = paginate(request, queries.caseload_ids(request.user, filters), per_page=50)
    rows = queries.caseload_rows(page.object_list)
    reminders = case_reminders([r.pk for r in rows])
    for row in rows:
        row.reminders = reminders.get(row.pk, [])
    workers = queries_cases.assignable_link_workers(request.user, [r.comune_id for r in rows])
    audit_shown(by=request.user, purpose="caseload", objects=rows)
    return render(
        request,
        "referrals/caseload.html",
        {
            "page_obj": page,
            "rows": rows,
            "filters": filters,
            "views": [
                ("mine", _("Mine")),
                ("unassigned", _("Waiting for a link worker")),
                ("all", _("All of my territory")),
            ],
            "statuses": [("open", _("open")), *Status.choices],
            "workers": workers,
            **queries_cases.caseload_filter_choices(request.user),
        },
    )


@require_POST
@permission_required(policy, "work")
def assign(request):
    """Bulk assignment from the caseload: the service decides (all or none, in scope, an active
    link worker covering every comune)."""
    back = safe_next(request, reverse("referrals:caseload"))
    worker = User.objects.filter(pk=id_param(request.POST.get("link_worker"))).first()
    try:
        count = services.referral_assign(
            by=request.user,
            referrals=[id_param(v) for v in request.POST.getlist("ids")],
            link_worker=worker,
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d referral assigned to %(worker)s.",
                "%(count)d referrals assigned to %(worker)s.",
                count,
            )
            % {"count": count, "worker": worker.get_full_name() or worker.email},
        )
    return HttpResponseRedirect(back)


# --- one referral ------------------------------------------------------------------------------
def _transition_choices(referral: Referral) -> list[dict]:
    return [
        {
            "value": to,
            "label": Status(to).label,
            "needs_reason": to in NEEDS_REASON,
            "asks_what_matters": to == Status.ASSESSED,
            "asks_goals": to == Status.PLAN_AGREED,
        }
        for to in services.allowed_next(referral)
    ]


def _labels(stored: str, choices) -> list[str]:
    codes = {code for code in stored.split(",") if code}
    return [str(label) for code, label in choices if code in codes]


@require_GET
@permission_required(policy, "view")
def referral_detail(request, pk):
    if effective_role(request.user) == CITIZEN:
        return redirect("referrals:my_data")
    referral = queries.referral_detail(request.user, pk, action="view")
    disclosure = Disclosure(request.user)
    # The case is worked on by the link workers of the person's territory only.
    can_work = disclosure.works_on(referral)
    readable = disclosure.texts(referral)
    consents = list(referral.beneficiary.consents.all())
    active = {c.purpose for c in consents if c.withdrawn_at is None}
    audit(by=request.user, action="view", obj=referral, purpose="referral detail")
    return render(
        request,
        "referrals/detail.html",
        {
            "referral": referral,
            "person": referral.beneficiary,
            "age": _age(referral.beneficiary.birth_date),
            "reasons": list(referral.reasons.all()),
            "events": list(referral.events.all()),
            "enrolments": list(referral.enrolments.all()),
            "consents": consents,
            "consent_purposes": [
                {
                    "value": value,
                    "label": label,
                    "text": CONSENT_TEXTS[value],
                    "active": value in active,
                }
                for value, label in ConsentPurpose.choices
            ],
            "days": _labels(referral.available_days, WEEKDAY_CHOICES),
            "times": _labels(referral.available_times, PART_OF_DAY_CHOICES),
            "can_work": can_work,
            "readable": readable,
            "show_contacts": disclosure.contacts(referral),
            "contact_consented": ConsentPurpose.CONTACT in active,
            "duplicate": queries_cases.possible_duplicate(referral) if can_work else None,
            # Whether to offer the form, without a query: the people scopes.referrals_followed
            # names (the service asks the policy when the form is sent).
            "can_link_account": policy.allows(request.user, "link_account")
            and referral.beneficiary.user_id is None
            and (can_work or disclosure.wrote(referral)),
            "notes": list(queries_cases.case_notes(referral)) if "notes" in readable else [],
            "transitions": _transition_choices(referral) if can_work else [],
            # Follow-ups are the link worker's to do: the prescriber does not see them.
            "reminders": case_reminders([referral.pk]).get(referral.pk, []) if can_work else [],
            "is_ended": referral.status in ENDED_STATUSES,
            "can_enrol": can_work
            and referral.link_worker_id is not None
            and referral.status in CAN_ENROL,
            "holding": (EnrolmentStatus.PENDING, EnrolmentStatus.ACCEPTED),
            "programme_form": ProgrammeForm(referral=referral) if can_work else None,
            **_goals_context(referral, can_work=can_work, readable=readable),
        },
    )


def _goals_context(referral: Referral, *, can_work: bool, readable) -> dict:
    """The person's goals, for those who read them (disclosure.GOALS), and whether the link
    worker may add or re-rate them here (while the path is open)."""
    goals = queries_cases.goals_of(referral) if GOALS in readable else []
    active = [g for g in goals if g.is_active]
    editable = can_work and referral.is_open
    return {
        "goals_shown": GOALS in readable,
        "personal_goals": goals,
        "active_goals": active,
        "goals_editable": editable,
        "can_add_goal": editable and len(active) < MAX_ACTIVE_GOALS,
        "max_goals": MAX_ACTIVE_GOALS,
        "rating_choices": range(1, 11),
    }


@require_POST
@permission_required(policy, "work")
def programme_change(request, pk):
    referral = _workable(request, pk)
    form = ProgrammeForm(request.POST, referral=referral)
    if not form.is_valid():
        messages.error(request, _("Choose a programme from the list."))
        return _detail(referral.pk)
    programme = form.cleaned_data["programme"]
    try:
        services.referral_programme_set(by=request.user, referral=referral, programme=programme)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            _("The referral counts in “%(name)s”.") % {"name": programme.name}
            if programme is not None
            else _("The referral counts in no programme."),
        )
    return _detail(referral.pk)


@require_POST
@permission_required(policy, "work")
def transition(request, pk):
    referral = _workable(request, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the next status from the list."))
        return _detail(referral.pk)
    data = form.cleaned_data
    try:
        services.referral_transition(
            by=request.user,
            referral=referral,
            to=data["to"],
            reason=data["reason"],
            what_matters=data["what_matters"] if "what_matters" in request.POST else None,
            goals=data["goals"] if "goals" in request.POST else None,
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request, _("The referral is now “%(status)s”.") % {"status": Status(data["to"]).label}
        )
    return _detail(referral.pk)


@require_POST
@permission_required(policy, "work")
def note_add(request, pk):
    referral = _workable(request, pk)
    try:
        services.case_note_add(
            by=request.user, referral=referral, text=request.POST.get("text", "")
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Note added."))
    return _detail(referral.pk)


@require_POST
@permission_required(policy, "work")
def consent_change(request, pk):
    referral = _workable(request, pk)
    form = ConsentChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a purpose of consent from the list."))
        return _detail(referral.pk)
    purpose, action = form.cleaned_data["purpose"], form.cleaned_data["action"]
    label = ConsentPurpose(purpose).label
    try:
        services.consent_change(
            by=request.user, beneficiary=referral.beneficiary, purpose=purpose, action=action
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            _("Consent to %(purpose)s recorded.") % {"purpose": label}
            if action == GIVE
            else _("Consent to %(purpose)s withdrawn.") % {"purpose": label},
        )
    return _detail(referral.pk)


# --- matching and enrolments -------------------------------------------------------------------
@require_GET
@permission_required(policy, "work")
def match(request, pk):
    referral = _workable(request, pk)
    suggestions = matching.suggest(referral)
    audit(by=request.user, action="view", obj=referral, purpose="matching")
    return render(
        request,
        "referrals/match.html",
        {
            "referral": referral,
            "suggestions": suggestions,
            "home": described(referral.comune),
            "can_enrol": referral.link_worker_id is not None and referral.status in CAN_ENROL,
        },
    )


@require_POST
@permission_required(policy, "work")
def enrol(request, pk):
    referral = _workable(request, pk)
    form = EnrolForm(request.POST)
    activity = (
        Activity.objects.filter(pk=form.cleaned_data["activity"]).first()
        if form.is_valid()
        else None
    )
    if activity is None:
        # The page sends a chosen activity; without one the worker is told so, where they chose.
        messages.error(request, _("Choose one of the suggested activities."))
        return redirect("referrals:match", pk=referral.pk)
    try:
        services.enrolment_create(by=request.user, referral=referral, activity=activity)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("referrals:match", pk=referral.pk)
    messages.success(
        request,
        _("Referral sent to “%(name)s”: the organisers will answer.") % {"name": activity.name},
    )
    return _detail(referral.pk)


@require_POST
@permission_required(policy, "work")
def enrolment_withdraw(request, pk):
    workable = policy.scope(request.user, "work", Referral.objects.all())
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("activity").filter(referral__in=workable.values("pk")),
        pk=pk,
    )
    try:
        services.enrolment_withdraw(
            by=request.user, enrolment=enrolment, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            _("The person is no longer enrolled in “%(name)s”.")
            % {"name": enrolment.activity.name},
        )
    return _detail(enrolment.referral_id)


# --- the person's goals ("che cosa conta per te") ---------------------------------------------
def _goals_back(referral_pk):
    return redirect(reverse("referrals:detail", args=[referral_pk]) + "#goals-title")


@require_POST
@permission_required(policy, "work")
def goal_add(request, pk):
    referral = _workable(request, pk)
    try:
        services.goal_add(
            by=request.user,
            referral=referral,
            text=request.POST.get("text", ""),
            rating=request.POST.get("rating", ""),
        )
    except (ValidationError, Refusal) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Goal recorded, with how close the person feels to it."))
    return _goals_back(referral.pk)


@require_POST
@permission_required(policy, "work")
def goals_rate(request, pk):
    """A follow-up: the goals rated again; a goal left blank keeps its last rating."""
    referral = _workable(request, pk)
    ratings = {
        key.removeprefix("rating_"): value
        for key, value in request.POST.items()
        if key.startswith("rating_") and value.strip()
    }
    try:
        created = services.goal_rate(by=request.user, referral=referral, ratings=ratings)
    except (ValidationError, Refusal) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            ngettext(
                "New rating recorded for %(count)d goal.",
                "New ratings recorded for %(count)d goals.",
                len(created),
            )
            % {"count": len(created)},
        )
    return _goals_back(referral.pk)


@require_POST
@permission_required(policy, "work")
def goal_remove(request, pk):
    workable = policy.scope(request.user, "work", Referral.objects.all())
    goal = get_object_or_404(Goal.objects.filter(referral__in=workable.values("pk")), pk=pk)
    try:
        services.goal_remove(by=request.user, goal=goal)
    except (ValidationError, Refusal) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Goal set aside: its ratings stay in the record."))
    return _goals_back(goal.referral_id)
