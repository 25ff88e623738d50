"""Programmes: partners, funders, territory and the bodies that govern them."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from legami.core.permissions import permission_required
from legami.core.views_helpers import paginate, submit_form

from .. import queries, services
from ..forms import BodyForm, FundingForm, NewProgrammeForm, PartnerForm, ProgrammeForm
from ..models import Organisation, Programme
from ..permissions import policy
from ._common import form_page, get_or_404


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
    programme = get_or_404(queries.programme_detail, pk)
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
    editable = policy.scope(request.user, "add_programme", Organisation.objects.all())
    form = NewProgrammeForm(request.POST or None, organisations=editable)
    programme = submit_form(
        request, form, lambda data: services.programme_create(by=request.user, **data)
    )
    if programme:
        messages.success(request, _("Programme saved."))
        return redirect("network:programme_detail", pk=programme.pk)
    return form_page(
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
    return form_page(
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
    return form_page(
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
