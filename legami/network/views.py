from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from legami.core.audit import audit, audit_shown
from legami.core.permissions import permission_required
from legami.core.views_helpers import paginate, submit_form

from . import queries, services
from .forms import (
    BodyForm,
    BodyMemberForm,
    FundingForm,
    MeetingForm,
    NewPersonForm,
    NewProgrammeForm,
    OrganisationForm,
    OrganisationSearchForm,
    PartnerForm,
    PersonForm,
    ProgrammeForm,
    RelationshipForm,
)
from .models import GovernanceBody, Organisation, Person, Programme
from .permissions import policy

PEOPLE_PER_PAGE = 25


def _form_page(request, form, *, title, back_url, submit_label=None):
    return render(
        request,
        "network/form.html",
        {"form": form, "title": title, "cancel_url": back_url, "submit_label": submit_label},
    )


def _get(model_queryset_getter, pk):
    try:
        return model_queryset_getter(pk)
    except (Organisation.DoesNotExist, Programme.DoesNotExist, GovernanceBody.DoesNotExist):
        raise Http404 from None


# --- organisations ----------------------------------------------------------------------------
@require_GET
@permission_required(policy, "view")
def organisation_list(request):
    form = OrganisationSearchForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    organisations = queries.search_organisations(
        text=filters.get("q", ""), sector=filters.get("sector", ""), comune=filters.get("comune")
    )
    return render(
        request,
        "network/organisation_list.html",
        {
            "form": form,
            "page_obj": paginate(request, organisations),
            "can_add": policy.allows(request.user, "add_organisation"),
        },
    )


@require_GET
@permission_required(policy, "view")
def organisation_detail(request, pk):
    organisation = _get(queries.organisation_detail, pk)
    can_see_people = policy.allows(request.user, "view_person")
    if can_see_people:
        audit_shown(
            by=request.user,
            purpose=f"members of organisation {organisation.pk}",
            objects=[m.person for m in organisation.memberships.all()],
        )
    return render(
        request,
        "network/organisation_detail.html",
        {
            "organisation": organisation,
            "can_change": request.user.is_authenticated
            and policy.can(request.user, "change_organisation", organisation),
            "can_see_people": can_see_people,
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(policy, "add_organisation")
def organisation_create(request):
    form = OrganisationForm(request.POST or None)
    organisation = submit_form(
        request, form, lambda data: services.organisation_create(by=request.user, **data)
    )
    if organisation:
        messages.success(request, _("Organisation saved."))
        return redirect("network:organisation_detail", pk=organisation.pk)
    return _form_page(
        request, form, title=_("New organisation"), back_url=reverse("network:organisation_list")
    )


@require_http_methods(["GET", "POST"])
@permission_required(policy, "change_organisation")
def organisation_edit(request, pk):
    organisation = policy.get_object_or_404(
        request.user, "change_organisation", Organisation.objects, pk=pk
    )
    initial = {f: getattr(organisation, f) for f in services.ORGANISATION_FIELDS}
    form = OrganisationForm(request.POST or None, initial=initial)
    saved = submit_form(
        request,
        form,
        lambda data: services.organisation_update(
            by=request.user, organisation=organisation, **data
        ),
    )
    if saved:
        messages.success(request, _("Organisation saved."))
        return redirect("network:organisation_detail", pk=organisation.pk)
    return _form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": organisation.name},
        back_url=organisation_url(organisation),
    )


def organisation_url(organisation):
    return reverse("network:organisation_detail", args=[organisation.pk])


@require_http_methods(["GET", "POST"])
@permission_required(policy, "change_organisation")
def relationship_create(request, pk):
    organisation = policy.get_object_or_404(
        request.user, "change_organisation", Organisation.objects, pk=pk
    )
    form = RelationshipForm(request.POST or None)
    form.fields["target"].queryset = Organisation.objects.exclude(pk=organisation.pk)
    created = submit_form(
        request,
        form,
        lambda data: services.relationship_create(by=request.user, source=organisation, **data),
    )
    if created:
        messages.success(request, _("Relationship saved."))
        return redirect("network:organisation_detail", pk=organisation.pk)
    return _form_page(
        request,
        form,
        title=_("New relationship of %(name)s") % {"name": organisation.name},
        back_url=organisation_url(organisation),
    )


# --- people -----------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@permission_required(policy, "view_person")
def person_list(request):
    """Everyone in the administrator's scope (GET), or those whose name matches a search
    (POST). A name is personal data: it travels in the body and the results answer the POST
    directly, with no redirect, so it never reaches a URL, a server log or the history;
    paging through the results posts it again."""
    if request.method == "POST":
        text, number = request.POST.get("q", "").strip()[:100], request.POST.get("page")
    else:
        text, number = "", request.GET.get("page")
    people = policy.scope(request.user, "view_person", queries.people(request.user, text))
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(number)
    audit_shown(by=request.user, purpose="network contacts", objects=page.object_list)
    return render(request, "network/person_list.html", {"page_obj": page, "q": text})


@require_GET
@permission_required(policy, "view_person")
def person_detail(request, pk):
    person = policy.get_object_or_404(
        request.user, "view_person", queries.people(request.user), pk=pk
    )
    audit(by=request.user, action="view", obj=person, purpose="network contact")
    return render(request, "network/person_detail.html", {"person": person})


@require_http_methods(["GET", "POST"])
@permission_required(policy, "add_person")
def person_create(request):
    editable = policy.scope(request.user, "change_organisation", Organisation.objects.all())
    form = NewPersonForm(request.POST or None, organisations=editable)
    person = submit_form(
        request, form, lambda data: services.person_create(by=request.user, **data)
    )
    if person:
        messages.success(request, _("Person saved."))
        return redirect("network:person_detail", pk=person.pk)
    return _form_page(request, form, title=_("New person"), back_url=reverse("network:person_list"))


@require_http_methods(["GET", "POST"])
@permission_required(policy, "change_person")
def person_edit(request, pk):
    person = policy.get_object_or_404(request.user, "change_person", Person.objects, pk=pk)
    initial = {f: getattr(person, f) for f in ("first_name", "last_name", "email", "phone")}
    form = PersonForm(request.POST or None, initial=initial)
    saved = submit_form(
        request, form, lambda data: services.person_update(by=request.user, person=person, **data)
    )
    if saved:
        messages.success(request, _("Person saved."))
        return redirect("network:person_detail", pk=person.pk)
    return _form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": person},
        back_url=reverse("network:person_detail", args=[person.pk]),
    )


# --- programmes ---------------------------------------------------------------------------------
@require_GET
@permission_required(policy, "view")
def programme_list(request):
    return render(
        request,
        "network/programme_list.html",
        {
            "page_obj": paginate(request, queries.programmes_with_counts()),
            "can_add": policy.allows(request.user, "add_programme"),
        },
    )


@require_GET
@permission_required(policy, "view")
def programme_detail(request, pk):
    programme = _get(queries.programme_detail, pk)
    total = sum(f.amount for f in programme.fundings.all())
    return render(
        request,
        "network/programme_detail.html",
        {
            "programme": programme,
            "funding_total": total,
            "can_change": request.user.is_authenticated
            and policy.can(request.user, "change_programme", programme),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(policy, "add_programme")
def programme_create(request):
    editable = policy.scope(request.user, "change_organisation", Organisation.objects.all())
    form = NewProgrammeForm(request.POST or None, organisations=editable)
    programme = submit_form(
        request, form, lambda data: services.programme_create(by=request.user, **data)
    )
    if programme:
        messages.success(request, _("Programme saved."))
        return redirect("network:programme_detail", pk=programme.pk)
    return _form_page(
        request, form, title=_("New programme"), back_url=reverse("network:programme_list")
    )


def _editable_programme(request, pk):
    return policy.get_object_or_404(request.user, "change_programme", Programme.objects, pk=pk)


@require_http_methods(["GET", "POST"])
@permission_required(policy, "change_programme")
def programme_edit(request, pk):
    programme = _editable_programme(request, pk)
    initial = {
        f: getattr(programme, f)
        for f in ("name", "description", "start_date", "end_date", "website")
    }
    initial["comuni"] = programme.comuni.all()
    form = ProgrammeForm(request.POST or None, initial=initial)
    saved = submit_form(
        request,
        form,
        lambda data: services.programme_update(by=request.user, programme=programme, **data),
    )
    if saved:
        messages.success(request, _("Programme saved."))
        return redirect("network:programme_detail", pk=programme.pk)
    return _form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": programme.name},
        back_url=reverse("network:programme_detail", args=[programme.pk]),
    )


def _programme_child(request, pk, form_class, service, title, success):
    programme = _editable_programme(request, pk)
    form = form_class(request.POST or None)
    saved = submit_form(
        request, form, lambda data: service(by=request.user, programme=programme, **data)
    )
    if saved:
        messages.success(request, success)
        return redirect("network:programme_detail", pk=programme.pk)
    return _form_page(
        request,
        form,
        title=title % {"name": programme.name},
        back_url=reverse("network:programme_detail", args=[programme.pk]),
    )


@require_http_methods(["GET", "POST"])
@permission_required(policy, "change_programme")
def partner_add(request, pk):
    return _programme_child(
        request,
        pk,
        PartnerForm,
        services.partner_add,
        _("Add a partner to %(name)s"),
        _("Partner added."),
    )


@require_http_methods(["GET", "POST"])
@permission_required(policy, "change_programme")
def funding_add(request, pk):
    return _programme_child(
        request,
        pk,
        FundingForm,
        services.funding_add,
        _("Add a funding to %(name)s"),
        _("Funding added."),
    )


@require_http_methods(["GET", "POST"])
@permission_required(policy, "change_programme")
def body_create(request, pk):
    return _programme_child(
        request,
        pk,
        BodyForm,
        services.body_create,
        _("New governance body of %(name)s"),
        _("Governance body created."),
    )


# --- governance bodies ---------------------------------------------------------------------------
@require_GET
@permission_required(policy, "view")
def body_detail(request, pk):
    body = _get(queries.body_detail, pk)
    return render(
        request,
        "network/body_detail.html",
        {
            "body": body,
            "can_change": request.user.is_authenticated
            and policy.can(request.user, "change_body", body),
            "can_see_people": policy.allows(request.user, "view_person"),
        },
    )


def _body_child(request, pk, form_factory, service, title, success):
    body = policy.get_object_or_404(request.user, "change_body", GovernanceBody.objects, pk=pk)
    form = form_factory(request.POST or None)
    saved = submit_form(request, form, lambda data: service(by=request.user, body=body, **data))
    if saved:
        messages.success(request, success)
        return redirect("network:body_detail", pk=body.pk)
    return _form_page(
        request,
        form,
        title=title % {"name": body.name},
        back_url=reverse("network:body_detail", args=[body.pk]),
    )


@require_http_methods(["GET", "POST"])
@permission_required(policy, "change_body")
def body_member_add(request, pk):
    people = policy.scope(request.user, "view_person", Person.objects.all())
    return _body_child(
        request,
        pk,
        lambda data: BodyMemberForm(data, people=people),
        services.body_member_add,
        _("Add a member to %(name)s"),
        _("Member added."),
    )


@require_http_methods(["GET", "POST"])
@permission_required(policy, "change_body")
def meeting_add(request, pk):
    return _body_child(
        request,
        pk,
        MeetingForm,
        services.meeting_add,
        _("New meeting of %(name)s"),
        _("Meeting recorded."),
    )
