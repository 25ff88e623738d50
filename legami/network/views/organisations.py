"""Organisations, their relationships and their people."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from legami.core.audit import audit, audit_shown
from legami.core.permissions import permission_required
from legami.core.spreadsheets import table_download
from legami.core.views_helpers import paginate, submit_form

from .. import queries, services
from ..forms import (
    NewPersonForm,
    OrganisationForm,
    OrganisationSearchForm,
    PersonForm,
    RelationshipForm,
)
from ..models import Organisation, Person
from ..permissions import policy
from ._common import form_page, get_or_404

PEOPLE_PER_PAGE = 25


# --- organisations ----------------------------------------------------------------------------
@require_GET
@permission_required(policy, "view")
def organisation_list(request):
    form = OrganisationSearchForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    organisations = queries.search_organisations(
        text=filters.get("q", ""), sector=filters.get("sector", ""), comune=filters.get("comune")
    )
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        return table_download(
            request,
            export,
            filename="organizzazioni",
            title=str(_("Organisations")),
            rows=lambda: queries.organisation_export_rows(organisations),
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
    organisation = get_or_404(queries.organisation_detail, pk)
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
    return form_page(
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
    return form_page(
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
    return form_page(
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
    editable = policy.scope(request.user, "add_person", Organisation.objects.all())
    form = NewPersonForm(request.POST or None, organisations=editable)
    person = submit_form(
        request, form, lambda data: services.person_create(by=request.user, **data)
    )
    if person:
        messages.success(request, _("Person saved."))
        return redirect("network:person_detail", pk=person.pk)
    return form_page(request, form, title=_("New person"), back_url=reverse("network:person_list"))


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
    return form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": person},
        back_url=reverse("network:person_detail", args=[person.pk]),
    )
