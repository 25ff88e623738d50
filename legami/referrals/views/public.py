"""Pages for the person referred (self-referral, "my data"), for the providers who welcome
them (inbox, answer, session register) and for territory administrators (service levels)."""

import json
from datetime import date, timedelta
from functools import reduce

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from legami.core import audit_words, ratelimit
from legami.core.audit import audit, audit_shown
from legami.core.permissions import permission_required
from legami.core.views_helpers import add_service_errors, paginate, submit_form
from legami.directory import queries as directory
from legami.territory.models import District
from legami.territory.queries import district_in_scope

from .. import queries, services
from ..consent import CONSENT_TEXTS, REQUIRED, WITHDRAW
from ..disclosure import Disclosure
from ..forms import ConsentChangeForm
from ..forms.public import (
    AttendanceForm,
    ReferralSettingsForm,
    RegisterDateForm,
    RegisterForm,
    RespondForm,
    SelfReferralForm,
)
from ..models import ConsentPurpose, EnrolmentStatus, ReferralSettings, Status
from ..permissions import policy
from ..queries import cases as queries_cases
from ..services.public import self_referral_create
from ..services.settings import SETTINGS_FIELDS, referral_settings_save

# --- self-referral ------------------------------------------------------------------------------
SELF_REFER_LIMIT = 5  # requests sent per address per hour
SELF_REFER_ATTEMPTS = 30  # form submissions, valid or not, per address per hour
SESSION_KEY = "legami_self_referral"


@require_http_methods(["GET", "POST"])
def self_refer(request):
    """Anyone may ask for help for themselves; staff are sent to their own forms (a page that
    says so, rather than a bare refusal)."""
    if not policy.allows(request.user, "self_refer"):
        if request.method == "POST":
            raise PermissionDenied
        return render(request, "referrals/public/self_refer.html", {"staff": True})
    initial = {"attivita": request.GET.get("attivita", "")}
    if request.user.is_authenticated:
        initial |= {
            "first_name": request.user.first_name,
            "last_name": request.user.last_name,
            "email": request.user.email,
        }
    form = SelfReferralForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if ratelimit.exceeded(
            request,
            {"self-refer:sent": SELF_REFER_LIMIT, "self-refer:tried": SELF_REFER_ATTEMPTS},
        ):
            messages.error(
                request,
                _(
                    "We have received many requests from this connection in the last hour. "
                    "Please try again later, or call your comune's social services."
                ),
            )
            status = 429
        else:
            ratelimit.hit("self-refer:tried", request)
            referral = submit_form(
                request,
                form,
                lambda data: self_referral_create(
                    by=request.user,
                    person=form.person(),
                    consents=form.consents(),
                    reasons=data["needs"],
                    reason_text=data["reason_text"],
                    available_days=data["available_days"],
                    available_times=data["available_times"],
                    activity=data["attivita"],
                ),
            )
            if referral is not None:
                ratelimit.hit("self-refer:sent", request)
                request.session[SESSION_KEY] = {
                    "due": referral.first_contact_due.isoformat(),
                    "contact": form.cleaned_data["preferred_contact"],
                }
                return redirect("referrals:self_refer_done")
    return render(request, "referrals/public/self_refer.html", {"form": form}, status=status)


@require_GET
def self_refer_done(request):
    """Open to anyone: it shows only what this browser's own request left in its session."""
    sent = request.session.get(SESSION_KEY) or {}
    due = None
    if sent.get("due"):
        try:
            due = date.fromisoformat(sent["due"])
        except ValueError:
            due = None
    return render(
        request,
        "referrals/public/self_refer_done.html",
        {
            "due": due,
            "contact": sent.get("contact", ""),
            "working_days": ReferralSettings().first_contact_working_days,
            "is_citizen": policy.allows(request.user, "claim_record"),
        },
    )


# --- my data ------------------------------------------------------------------------------------
# What stops when a consent is withdrawn, said before the person confirms.
WITHDRAW_EFFECTS = {
    ConsentPurpose.CARE: gettext_lazy(
        "Your open requests for help will be closed and your places in activities given up. "
        "The link worker will no longer follow you. You can ask for help again at any time."
    ),
    ConsentPurpose.CONTACT: gettext_lazy(
        "The link worker and the activities will no longer see your phone number and e-mail."
    ),
    ConsentPurpose.OUTCOMES: gettext_lazy(
        "You will not be asked to fill in well-being questionnaires any more."
    ),
    ConsentPurpose.RESEARCH: gettext_lazy(
        "Your data, even without your name, will no longer be used to study the programme."
    ),
}


def _consent_rows(beneficiary):
    active = {}
    for consent in beneficiary.consents.all():  # prefetched, newest first per purpose
        if consent.withdrawn_at is None:
            active.setdefault(consent.purpose, consent)
    return [
        {
            "purpose": purpose,
            "label": label,
            "text": CONSENT_TEXTS[purpose],
            "consent": active.get(purpose),
            "required": purpose in REQUIRED,
            "effect": WITHDRAW_EFFECTS[purpose],
        }
        for purpose, label in ConsentPurpose.choices
    ]


def _timeline(referral):
    steps = []
    for event in referral.events.all():
        if event.from_status and event.from_status == event.to_status:
            what = _("Your request was updated by the service")
        else:
            what = Status(event.to_status).label
        steps.append({"at": event.at, "what": what})
    return steps


@require_GET
@permission_required(policy, "own_data")
def my_data(request):
    records = list(queries.own_records(request.user).select_related("comune"))
    if not records:
        return render(request, "referrals/public/my_data_empty.html")
    people = []
    for beneficiary in records:
        audit(by=request.user, action="view", obj=beneficiary, purpose="own data (citizen)")
        referrals = [
            {
                "referral": r,
                "timeline": _timeline(r),
                "enrolments": list(r.enrolments.all()),
                # The person reads their own goals (disclosure.GOALS).
                "goals": queries_cases.goals_of(r),
            }
            for r in beneficiary.referrals.all()
        ]
        people.append(
            {
                "person": beneficiary,
                "referrals": referrals,
                "consents": _consent_rows(beneficiary),
            }
        )
    log = reduce(lambda a, b: a | b, (services.access_log_rows(b) for b in records))
    page = paginate(request, log.order_by("-at", "-id"), per_page=20)
    # The same words as the DPO's log (core.audit_words): staff by their role, never by name.
    for event in page:
        event.said = audit_words.words(event)
        event.is_me = event.actor_id == request.user.pk
    return render(
        request,
        "referrals/public/my_data.html",
        {"people": people, "page_obj": page},
    )


@require_POST
@permission_required(policy, "own_data")
def my_consent(request):
    """The citizen changes a consent on their own record (the one linked to their account:
    the form names no record, so none other can be reached)."""
    form = ConsentChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("We could not understand the request: please try again."))
        return redirect("referrals:my_data")
    beneficiary = queries.own_records(request.user).first()
    if beneficiary is None:
        raise Http404
    purpose, action = form.cleaned_data["purpose"], form.cleaned_data["action"]
    label = ConsentPurpose(purpose).label
    try:
        services.consent_change(
            by=request.user, beneficiary=beneficiary, purpose=purpose, action=action
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("You have withdrawn your consent to: %(purpose)s. %(effect)s")
            % {"purpose": label, "effect": WITHDRAW_EFFECTS[purpose]}
            if action == WITHDRAW
            else _("Thank you: you have given your consent to: %(purpose)s.") % {"purpose": label},
        )
    return redirect(reverse("referrals:my_data") + "#consents")


@require_GET
@permission_required(policy, "own_data")
def my_export(request):
    records = list(queries.own_records(request.user).select_related("comune"))
    if not records:
        messages.info(request, _("We hold no data about you yet."))
        return redirect("referrals:my_data")
    exports = [services.own_export(by=request.user, beneficiary=b) for b in records]
    data = exports[0] if len(exports) == 1 else {"records": exports}
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="legami-my-data-{stamp}.json"'
    return response


# --- provider ----------------------------------------------------------------------------------
@require_GET
@permission_required(policy, "respond")
def inbox(request):
    status = request.GET.get("status", "")
    rows = queries.provider_inbox(request.user, status=status)
    page = paginate(request, rows)
    disclosure = Disclosure(request.user)
    for row in page:
        row.show_contacts = disclosure.contacts(row.referral, enrolment=row)
    audit_shown(by=request.user, purpose="provider inbox", objects=page.object_list)
    return render(
        request,
        "referrals/public/inbox.html",
        {
            "page_obj": page,
            "registers": queries.provider_activities(request.user),
            "status": status if status in EnrolmentStatus.values else "",
            "statuses": EnrolmentStatus.choices,
        },
    )


def _provider_enrolment(request, pk):
    return queries.provider_enrolment(request.user, pk)


@require_GET
@permission_required(policy, "respond")
def enrolment_detail(request, pk):
    enrolment = _provider_enrolment(request, pk)
    audit(by=request.user, action="view", obj=enrolment, purpose="provider: referral answer")
    return render(
        request,
        "referrals/public/enrolment_detail.html",
        {
            "enrolment": enrolment,
            "person": enrolment.referral.beneficiary,
            "show_contacts": Disclosure(request.user).contacts(
                enrolment.referral, enrolment=enrolment
            ),
            "respond_form": RespondForm(),
            "attendance_form": AttendanceForm(
                initial={"session_date": timezone.localdate(), "present": "1"}
            ),
            "attendance": list(enrolment.attendance.all()),
            "is_pending": enrolment.status == EnrolmentStatus.PENDING,
            "is_accepted": enrolment.status == EnrolmentStatus.ACCEPTED,
        },
    )


def _form_errors(form) -> str:
    return " ".join(
        f"{form.fields[name].label}: {' '.join(errs)}" if name in form.fields else " ".join(errs)
        for name, errs in form.errors.items()
    )


@require_POST
@permission_required(policy, "respond")
def enrolment_respond(request, pk):
    enrolment = _provider_enrolment(request, pk)
    form = RespondForm(request.POST)
    if form.is_valid():
        accept = form.cleaned_data["decision"] == RespondForm.ACCEPT
        try:
            services.enrolment_respond(
                by=request.user,
                enrolment=enrolment,
                accept=accept,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Thank you: the person is welcome. Record their attendance below.")
                if accept
                else _("Answer sent: the link worker will look for another activity."),
            )
            return redirect("referrals:enrolment", pk=enrolment.pk)
    messages.error(request, _form_errors(form))
    return redirect("referrals:enrolment", pk=enrolment.pk)


@require_POST
@permission_required(policy, "respond")
def attendance(request, pk):
    enrolment = _provider_enrolment(request, pk)
    form = AttendanceForm(request.POST)
    if form.is_valid():
        try:
            services.attendance_record(
                by=request.user,
                enrolment=enrolment,
                session_date=form.cleaned_data["session_date"],
                present=form.cleaned_data["present"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Attendance recorded."))
            return redirect(reverse("referrals:enrolment", args=[enrolment.pk]) + "#register")
    messages.error(request, _form_errors(form))
    return redirect(reverse("referrals:enrolment", args=[enrolment.pk]) + "#register")


# The session dates offered as links on a register: the last few of this span.
REGISTER_SPAN_DAYS = 92
REGISTER_LINKS = 8


def _register_day(request, recent):
    """The session a register shows: the one posted, the one asked for, or the latest held."""
    raw = request.POST.get("session_date") if request.method == "POST" else None
    picker = RegisterDateForm(request.GET if "date" in request.GET else None)
    if raw:
        try:
            return date.fromisoformat(raw), picker
        except ValueError:
            pass
    if picker.is_bound and picker.is_valid():
        return picker.cleaned_data["date"], picker
    if recent is None:  # no schedule: any day may be a session
        return timezone.localdate(), picker
    return (recent[-1] if recent else None), picker


@require_http_methods(["GET", "POST"])
@permission_required(policy, "respond")
def register(request, pk):
    """One session of one activity: everyone on its register, marked together."""
    activity = queries.provider_activity(request.user, pk)
    today = timezone.localdate()
    recent = directory.session_dates(
        activity, since=today - timedelta(days=REGISTER_SPAN_DAYS), until=today
    )
    day, picker = _register_day(request, recent)
    if day is not None and not picker.is_bound:
        picker = RegisterDateForm(initial={"date": day})
    rows = queries.provider_register(activity, day) if day else []
    form = RegisterForm(
        request.POST or None,
        rows=rows,
        walk_ins=services.session_walk_ins(activity, day) if day else None,
        initial={"session_date": day},
    )
    saved = submit_form(
        request,
        form,
        lambda data: services.register_save(
            by=request.user,
            activity=activity,
            session_date=data["session_date"],
            marks=form.marks(),
            walk_ins=data.get("walk_ins"),
        ),
    )
    if saved is not None:
        message = ngettext(
            "Register of %(date)s saved: %(n)s person marked.",
            "Register of %(date)s saved: %(n)s people marked.",
            len(saved),
        ) % {"date": date_format(day, "DATE_FORMAT"), "n": len(saved)}
        if form.cleaned_data.get("walk_ins") is not None:
            message += " " + ngettext(
                "%(n)s person without a referral.",
                "%(n)s people without a referral.",
                form.cleaned_data["walk_ins"],
            ) % {"n": form.cleaned_data["walk_ins"]}
        messages.success(request, message)
        return redirect(
            f"{reverse('referrals:register', args=[activity.pk])}?date={day.isoformat()}"
        )
    audit_shown(by=request.user, purpose="attendance", objects=rows)
    notice = ""
    if request.method == "GET" and day is not None:
        try:
            services.check_session_date(activity, day)
        except ValidationError as refused:
            notice = " ".join(refused.messages)
    return render(
        request,
        "referrals/public/register.html",
        {
            "activity": activity,
            "day": day,
            "form": form,
            "picker": picker,
            "recent": (recent or [])[-REGISTER_LINKS:][::-1],
            "no_schedule": recent is None,
            "notice": notice,
        },
    )


# --- territory administrator ---------------------------------------------------------------------
def _districts(request):
    return district_in_scope(request.user, District.objects.all())


@require_GET
@permission_required(policy, "configure")
def settings_list(request):
    districts = _districts(request).order_by("name", "pk")
    page = paginate(request, districts)
    configured = {
        s.district_id: s for s in ReferralSettings.objects.filter(district__in=[d.pk for d in page])
    }
    rows = [
        {
            "district": d,
            "settings": configured.get(d.pk) or ReferralSettings(),
            "is_default": d.pk not in configured,
        }
        for d in page
    ]
    return render(request, "referrals/public/settings_list.html", {"page_obj": page, "rows": rows})


@require_http_methods(["GET", "POST"])
@permission_required(policy, "configure")
def settings_edit(request, district_pk):
    district = _districts(request).filter(pk=district_pk).first()
    if district is None:
        raise Http404
    instance = ReferralSettings.objects.filter(district=district).first() or ReferralSettings(
        district=district
    )
    form = ReferralSettingsForm(request.POST or None, instance=instance)
    saved = submit_form(
        request,
        form,
        lambda data: referral_settings_save(
            by=request.user,
            district=district,
            **{name: data[name] for name in SETTINGS_FIELDS},
        ),
    )
    if saved:
        messages.success(
            request, _("Settings of %(district)s saved.") % {"district": district.name}
        )
        return redirect("referrals:settings")
    return render(
        request,
        "referrals/public/settings_edit.html",
        {"form": form, "district": district, "cancel_url": reverse("referrals:settings")},
    )
