from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from legami.core.permissions import permission_required
from legami.core.views_helpers import paginate, submit_form

from . import queries, services
from .forms import ComuneSearchForm, DistrictForm
from .models import Comune, District, Province, Region
from .permissions import policy


@require_GET
@permission_required(policy, "view")
def region_list(request):
    return render(request, "territory/region_list.html", {"regions": queries.regions_with_counts()})


@require_GET
@permission_required(policy, "view")
def region_detail(request, code):
    region = get_object_or_404(Region, code=code)
    return render(
        request,
        "territory/region_detail.html",
        {"region": region, "provinces": queries.provinces_of(region)},
    )


@require_GET
@permission_required(policy, "view")
def province_detail(request, code):
    province = get_object_or_404(Province.objects.select_related("region"), code=code)
    form = ComuneSearchForm(request.GET)
    text = form.cleaned_data["q"] if form.is_valid() else ""
    comuni = queries.search_comuni(text, province=province)
    return render(
        request,
        "territory/province_detail.html",
        {"province": province, "form": form, "page_obj": paginate(request, comuni, 50)},
    )


@require_GET
@permission_required(policy, "view")
def comune_list(request):
    form = ComuneSearchForm(request.GET)
    text = form.cleaned_data["q"] if form.is_valid() else ""
    comuni = queries.search_comuni(text)
    return render(
        request,
        "territory/comune_list.html",
        {"form": form, "page_obj": paginate(request, comuni, 50)},
    )


@require_GET
@permission_required(policy, "view")
def comune_detail(request, istat_code):
    comune = get_object_or_404(
        Comune.objects.select_related("province__region"), istat_code=istat_code
    )
    return render(
        request,
        "territory/comune_detail.html",
        {"comune": comune, "districts": comune.districts.all()},
    )


@require_GET
@permission_required(policy, "view")
def district_list(request):
    return render(
        request,
        "territory/district_list.html",
        {
            "districts": queries.districts_with_counts(),
            "can_add": policy.allows(request.user, "add_district"),
        },
    )


@require_GET
@permission_required(policy, "view")
def district_detail(request, pk):
    district = get_object_or_404(District, pk=pk)
    return render(
        request,
        "territory/district_detail.html",
        {
            "district": district,
            "comuni": district.comuni.select_related("province"),
            "can_change": request.user.is_authenticated
            and policy.can(request.user, "change_district", district),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(policy, "add_district")
def district_create(request):
    form = DistrictForm(request.POST or None)
    district = submit_form(
        request,
        form,
        lambda data: services.district_create(by=request.user, **data),
    )
    if district:
        messages.success(request, _("District saved."))
        return redirect("territory:district_detail", pk=district.pk)
    return render(request, "territory/district_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@permission_required(policy, "change_district")
def district_edit(request, pk):
    district = policy.get_object_or_404(request.user, "change_district", District.objects, pk=pk)
    form = DistrictForm(
        request.POST or None, instance=district, initial={"comuni": district.comuni.all()}
    )
    saved = submit_form(
        request,
        form,
        lambda data: services.district_update(by=request.user, district=district, **data),
    )
    if saved:
        messages.success(request, _("District saved."))
        return redirect("territory:district_detail", pk=district.pk)
    return render(request, "territory/district_form.html", {"form": form, "district": district})
