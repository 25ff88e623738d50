"""Pages for those who keep the directory: providers (their listings and places) and
territory admins (moderation, vocabulary, coverage)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from legami.core.permissions import permission_required
from legami.core.privacy import SMALL_CELL
from legami.core.views_helpers import paginate, submit_form
from legami.network.models import Organisation
from legami.territory.models import Comune
from legami.territory.queries import comuni_in_scope

from .. import queries, services
from ..forms import (
    ActivityForm,
    ConfirmForm,
    CostOptionForm,
    PlaceForm,
    ScheduleExceptionForm,
    ScheduleForm,
    StatusForm,
    TermForm,
)
from ..models import Activity, ActivityStatus, CostOption, Place, Schedule, Taxonomy, TaxonomyTerm
from ..permissions import policy
from ..queries import needs as queries_coverage
from ..scopes import editable_organisations


def _form_page(request, form, *, title, cancel_url, submit_label=None, intro=""):
    return render(
        request,
        "directory/form.html",
        {
            "form": form,
            "title": title,
            "cancel_url": cancel_url,
            "submit_label": submit_label,
            "intro": intro,
        },
    )


def _confirm_then(request, act, *, done, next_url, title, submit_label=None, intro=""):
    """A page that asks before it acts: GET shows the question, POST calls `act()` (a
    service) and goes back to `next_url` with `done` as a message; a service's refusal is
    shown on the page (never a 500)."""
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if submit_form(request, form, lambda data: act() or True):
        messages.success(request, done)
        return redirect(next_url)
    return _form_page(
        request,
        form,
        title=title,
        cancel_url=next_url,
        submit_label=submit_label,
        intro=intro,
    )


def _detail_url(activity) -> str:
    return reverse("directory:activity_detail", args=[activity.pk])


def _managed(request, pk) -> Activity:
    return policy.get_object_or_404(request.user, "manage_listings", Activity.objects, pk=pk)


def _one(queryset, pk):
    """One object of an already scoped queryset, or 404."""
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def _status_target(request, pk) -> Activity:
    for action in ("manage_listings", "moderate"):
        if policy.allows(request.user, action):
            found = policy.scope(request.user, action, Activity.objects.filter(pk=pk)).first()
            if found is not None:
                return found
    raise Http404


# --- listings ---------------------------------------------------------------------------------
@require_GET
@permission_required(policy, "manage_listings")
def manage(request):
    activities = queries.managed_activities(request.user)
    status = request.GET.get("status", "")
    if status in ActivityStatus.values:
        activities = activities.filter(status=status)
    page = paginate(request, activities)
    for activity in page:
        activity.stale = services.needs_reverification(activity)
    return render(
        request,
        "directory/manage.html",
        {
            "page_obj": page,
            "status": status,
            "statuses": ActivityStatus.choices,
            "stale_count": queries.stale_activity_count(request.user),
            "can_moderate": policy.allows(request.user, "moderate"),
            "can_import_hsds": policy.allows(request.user, "import_hsds"),
            "can_export_hsds": policy.allows(request.user, "export_hsds"),
        },
    )


def _activity_form(request, data=None, initial=None):
    organisations = (
        editable_organisations(request.user)
        if not request.user.is_superuser
        else (Organisation.objects.all())
    )
    places = Place.objects.filter(organisation__in=organisations).select_related("comune")
    return ActivityForm(
        data,
        initial=initial,
        organisations=organisations,
        places=places,
        vocabulary=queries.vocabulary(),
    )


@require_http_methods(["GET", "POST"])
@permission_required(policy, "manage_listings")
def activity_create(request):
    form = _activity_form(request, request.POST or None)
    activity = submit_form(
        request,
        form,
        lambda data: services.activity_create(by=request.user, **form.service_data()),
    )
    if activity:
        messages.success(request, _("Activity saved as a draft: add its schedule, then publish."))
        return redirect("directory:schedule_add", pk=activity.pk)
    return _form_page(
        request, form, title=_("New activity"), cancel_url=reverse("directory:manage")
    )


@require_http_methods(["GET", "POST"])
@permission_required(policy, "manage_listings")
def activity_edit(request, pk):
    activity = _managed(request, pk)
    initial = {f: getattr(activity, f) for f in services.ACTIVITY_FIELDS}
    initial["organisation"] = activity.organisation
    initial["languages"] = activity.language_list
    term_ids = set(activity.terms.values_list("pk", flat=True))
    initial.update(domains=term_ids, needs=term_ids, targets=term_ids)
    form = _activity_form(request, request.POST or None, initial=initial)
    form.fields["organisation"].disabled = True
    saved = submit_form(
        request,
        form,
        lambda data: services.activity_update(
            by=request.user,
            activity=activity,
            **{k: v for k, v in form.service_data().items() if k != "organisation"},
        ),
    )
    if saved:
        messages.success(request, _("Activity saved."))
        return redirect(_detail_url(activity))
    return _form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": activity.name},
        cancel_url=_detail_url(activity),
    )


@require_http_methods(["GET", "POST"])
@permission_required(policy, "manage_listings")
def activity_status(request, pk):
    """Providers publish, suspend and archive their own listings; territory admins moderate
    those in their territory with the same action and a reason."""
    activity = _status_target(request, pk)
    form = StatusForm(request.POST or None, initial={"status": activity.status})
    saved = submit_form(
        request,
        form,
        lambda data: services.activity_set_status(by=request.user, activity=activity, **data),
    )
    if saved:
        messages.success(
            request, _("Status changed to: %(status)s.") % {"status": saved.get_status_display()}
        )
        return redirect(_detail_url(activity))
    return _form_page(
        request,
        form,
        title=_("Status of %(name)s") % {"name": activity.name},
        cancel_url=_detail_url(activity),
    )


@require_http_methods(["GET", "POST"])
@permission_required(policy, "manage_listings")
def activity_verify(request, pk):
    activity = _managed(request, pk)
    return _confirm_then(
        request,
        lambda: services.activity_verify(by=request.user, activity=activity),
        done=_("Thank you: the listing is marked as verified today."),
        next_url=_detail_url(activity),
        title=_("Confirm that %(name)s is up to date") % {"name": activity.name},
        submit_label=_("Everything is still correct"),
        intro=_("Check days, times, place, cost and contacts on the activity page first."),
    )


# --- schedules and costs ------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@permission_required(policy, "manage_listings")
def schedule_add(request, pk):
    activity = _managed(request, pk)
    form = ScheduleForm(request.POST or None, initial={"freq": "WEEKLY", "interval": 1})
    if submit_form(
        request,
        form,
        lambda data: services.schedule_add(
            by=request.user, activity=activity, **form.service_data()
        ),
    ):
        messages.success(request, _("Schedule added."))
        return redirect(_detail_url(activity))
    return _form_page(
        request,
        form,
        title=_("Add a schedule to %(name)s") % {"name": activity.name},
        cancel_url=_detail_url(activity),
    )


def _managed_schedule(request, pk) -> Schedule:
    schedules = Schedule.objects.filter(
        activity__in=policy.scope(request.user, "manage_listings", Activity.objects.all())
    )
    return _one(schedules, pk)


@require_http_methods(["GET", "POST"])
@permission_required(policy, "manage_listings")
def schedule_remove(request, pk):
    schedule = _managed_schedule(request, pk)
    return _confirm_then(
        request,
        lambda: services.schedule_remove(by=request.user, schedule=schedule),
        done=_("Schedule removed."),
        next_url=_detail_url(schedule.activity),
        title=_("Remove the schedule “%(rule)s”?") % {"rule": schedule},
        submit_label=_("Remove"),
    )


@require_http_methods(["GET", "POST"])
@permission_required(policy, "manage_listings")
def exception_add(request, pk):
    schedule = _managed_schedule(request, pk)
    form = ScheduleExceptionForm(request.POST or None)
    if submit_form(
        request,
        form,
        lambda data: services.schedule_exception_add(by=request.user, schedule=schedule, **data),
    ):
        messages.success(request, _("The session on that date is marked as cancelled."))
        return redirect(_detail_url(schedule.activity))
    return _form_page(
        request, form, title=_("Cancel one session"), cancel_url=_detail_url(schedule.activity)
    )


@require_http_methods(["GET", "POST"])
@permission_required(policy, "manage_listings")
def cost_add(request, pk):
    activity = _managed(request, pk)
    form = CostOptionForm(request.POST or None)
    if submit_form(
        request,
        form,
        lambda data: services.cost_option_add(by=request.user, activity=activity, **data),
    ):
        messages.success(request, _("Cost option added."))
        return redirect(_detail_url(activity))
    return _form_page(request, form, title=_("Add a cost option"), cancel_url=_detail_url(activity))


@require_http_methods(["GET", "POST"])
@permission_required(policy, "manage_listings")
def cost_remove(request, pk):
    options = CostOption.objects.filter(
        activity__in=policy.scope(request.user, "manage_listings", Activity.objects.all())
    )
    option = _one(options, pk)
    return _confirm_then(
        request,
        lambda: services.cost_option_remove(by=request.user, option=option),
        done=_("Cost option removed."),
        next_url=_detail_url(option.activity),
        title=_("Remove “%(option)s”?") % {"option": option},
        submit_label=_("Remove"),
    )


# --- places -----------------------------------------------------------------------------------
@require_GET
@permission_required(policy, "manage_places")
def place_list(request):
    return render(
        request,
        "directory/place_list.html",
        {"page_obj": paginate(request, queries.managed_places(request.user))},
    )


def _place_form(request, data=None, initial=None):
    organisations = (
        Organisation.objects.all()
        if request.user.is_superuser
        else editable_organisations(request.user)
    )
    return PlaceForm(data, initial=initial, organisations=organisations)


@require_http_methods(["GET", "POST"])
@permission_required(policy, "manage_places")
def place_create(request):
    form = _place_form(request, request.POST or None)
    if submit_form(request, form, lambda data: services.place_create(by=request.user, **data)):
        messages.success(request, _("Place saved."))
        return redirect("directory:place_list")
    return _form_page(
        request, form, title=_("New place"), cancel_url=reverse("directory:place_list")
    )


@require_http_methods(["GET", "POST"])
@permission_required(policy, "manage_places")
def place_edit(request, pk):
    place = policy.get_object_or_404(request.user, "manage_places", Place.objects, pk=pk)
    initial = {f: getattr(place, f) for f in services.PLACE_FIELDS}
    initial["organisation"] = place.organisation
    form = _place_form(request, request.POST or None, initial=initial)
    form.fields["organisation"].disabled = True
    if submit_form(
        request,
        form,
        lambda data: services.place_update(
            by=request.user, place=place, **{k: v for k, v in data.items() if k != "organisation"}
        ),
    ):
        messages.success(request, _("Place saved."))
        return redirect("directory:place_list")
    return _form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": place.name},
        cancel_url=reverse("directory:place_list"),
    )


# --- vocabulary and coverage (territory admins) -------------------------------------------------
@require_GET
@permission_required(policy, "manage_taxonomy")
def taxonomy(request):
    taxonomies = Taxonomy.objects.prefetch_related("terms__parent").order_by("code")
    return render(request, "directory/taxonomy.html", {"taxonomies": taxonomies})


@require_http_methods(["GET", "POST"])
@permission_required(policy, "manage_taxonomy")
def term_create(request):
    form = TermForm(request.POST or None)
    if submit_form(
        request, form, lambda data: services.taxonomy_term_save(by=request.user, **data)
    ):
        messages.success(request, _("Term saved."))
        return redirect("directory:taxonomy")
    return _form_page(request, form, title=_("New term"), cancel_url=reverse("directory:taxonomy"))


@require_http_methods(["GET", "POST"])
@permission_required(policy, "manage_taxonomy")
def term_edit(request, pk):
    term = policy.get_object_or_404(request.user, "manage_taxonomy", TaxonomyTerm.objects, pk=pk)
    initial = {
        f: getattr(term, f)
        for f in ("taxonomy", "code", "name", "name_en", "name_fr", "description", "parent")
    }
    form = TermForm(request.POST or None, initial=initial)
    form.fields["taxonomy"].disabled = True
    if submit_form(
        request, form, lambda data: services.taxonomy_term_save(by=request.user, term=term, **data)
    ):
        messages.success(request, _("Term saved."))
        return redirect("directory:taxonomy")
    return _form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": term.name},
        cancel_url=reverse("directory:taxonomy"),
    )


@require_GET
@permission_required(policy, "view_coverage")
def coverage(request):
    """Per comune of the territory, by need (with the demand from referrals: where to act) or,
    with `by=domain`, by domain of activity."""
    comuni = Comune.objects.all() if request.user.is_superuser else comuni_in_scope(request.user)
    vocabulary = queries.vocabulary()
    by_domain = request.GET.get("by") == "domain"
    only_gaps = request.GET.get("gaps") == "1"
    only_act = request.GET.get("act") == "1" and not by_domain
    if by_domain:
        domains = vocabulary[Taxonomy.DOMAIN]
        columns = [d for d in domains if d.parent_id is None]
        table = queries.coverage(comuni, domains)
        if only_gaps:
            table = [row for row in table if row["gaps"]]
    else:
        columns = vocabulary[Taxonomy.NEED]
        table = queries_coverage.need_coverage(request.user, comuni, columns)
        if only_gaps:
            table = [row for row in table if row.gaps]
    if only_act:
        table = [row for row in table if row.to_act]
    return render(
        request,
        "directory/coverage.html" if by_domain else "directory/coverage_needs.html",
        {
            "roots": columns,
            "needs": columns,
            "span": 2 * len(columns) + 4,
            "page_obj": paginate(request, table, per_page=50),
            "only_gaps": only_gaps,
            "only_act": only_act,
            "small_cell": SMALL_CELL,
        },
    )
