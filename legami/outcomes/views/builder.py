"""The questionnaire builder: the list of questionnaires, a questionnaire's page (details,
sections, questions, preview) and the buttons that change a draft, publish or copy it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from legami.core.permissions import permission_required
from legami.core.views_helpers import submit_form

from .. import questions
from ..forms import AnswersForm
from ..forms.builder import ItemForm, PublishForm, QuestionnaireForm, SectionForm
from ..models import Instrument, InstrumentItem
from ..permissions import policy
from ..services import builder as services_builder


def _instrument(request, pk) -> Instrument:
    return policy.get_object_or_404(request.user, "build", Instrument.objects.all(), pk=pk)


def _item(request, pk) -> InstrumentItem:
    return policy.get_object_or_404(
        request.user, "build", InstrumentItem.objects.select_related("instrument"), pk=pk
    )


def _flash_errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@require_http_methods(["GET", "POST"])
@permission_required(policy, "build")
def questionnaires(request):
    form = QuestionnaireForm(request.POST or None)
    created = submit_form(
        request,
        form,
        lambda data: services_builder.questionnaire_create(by=request.user, data=data),
    )
    if created is not None:
        messages.success(request, _("Draft created: now add its sections and questions."))
        return redirect("outcomes:questionnaire", pk=created.pk)
    return render(
        request,
        "outcomes/questionnaires.html",
        {
            "library": Instrument.objects.filter(is_custom=False).order_by("code"),
            "built": Instrument.objects.filter(is_custom=True).order_by("-pk"),
            "form": form,
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(policy, "build")
def questionnaire(request, pk):
    instrument = _instrument(request, pk)
    details = QuestionnaireForm(request.POST or None, instance=instrument)
    if request.method == "POST":
        refused = _published_refusal(request, instrument)
        if refused:
            return refused
        saved = submit_form(
            request,
            details,
            lambda data: services_builder.questionnaire_update(
                by=request.user, instrument=instrument, data=data
            ),
        )
        if saved is not None:
            messages.success(request, _("Details saved."))
            return redirect("outcomes:questionnaire", pk=pk)
    return _builder_page(request, instrument, details=details)


def _published_refusal(request, instrument):
    """A change sent to a published questionnaire: said at the top of its page."""
    try:
        services_builder.check_draft(instrument)
    except ValidationError as error:
        _flash_errors(request, error)
        return redirect("outcomes:questionnaire", pk=instrument.pk)
    return None


def _builder_page(request, instrument, *, details=None, item_form=None, section_form=None):
    items = list(instrument.items.select_related("section", "instrument"))
    return render(
        request,
        "outcomes/questionnaire.html",
        {
            "instrument": instrument,
            "details": details or QuestionnaireForm(instance=instrument),
            "items": [(item, questions.options_text(item.options)) for item in items],
            "section_form": section_form or SectionForm(),
            "item_form": item_form or ItemForm(instrument=instrument),
            "publish_form": PublishForm(),
            "preview": AnswersForm(instrument=instrument, items=items, prefix="preview"),
        },
        status=400 if (item_form or section_form) else 200,
    )


@require_POST
@permission_required(policy, "build")
def section_add(request, pk):
    instrument = _instrument(request, pk)
    refused = _published_refusal(request, instrument)
    if refused:
        return refused
    form = SectionForm(request.POST)
    saved = submit_form(
        request,
        form,
        lambda data: services_builder.section_add(
            by=request.user, instrument=instrument, data=data
        ),
    )
    if saved is None:
        return _builder_page(request, instrument, section_form=form)
    messages.success(request, _("Section added."))
    return redirect("outcomes:questionnaire", pk=pk)


@require_POST
@permission_required(policy, "build")
def item_add(request, pk):
    instrument = _instrument(request, pk)
    refused = _published_refusal(request, instrument)
    if refused:
        return refused
    form = ItemForm(request.POST, instrument=instrument)
    saved = submit_form(
        request,
        form,
        lambda data: services_builder.item_add(by=request.user, instrument=instrument, data=data),
    )
    if saved is None:
        return _builder_page(request, instrument, item_form=form)
    messages.success(request, _("Question %(number)s added.") % {"number": saved.number})
    return redirect("outcomes:questionnaire", pk=pk)


@require_POST
@permission_required(policy, "build")
def item_remove(request, pk):
    item = _item(request, pk)
    try:
        services_builder.item_remove(by=request.user, item=item)
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(request, _("Question removed."))
    return redirect("outcomes:questionnaire", pk=item.instrument_id)


@require_POST
@permission_required(policy, "build")
def item_move(request, pk):
    item = _item(request, pk)
    try:
        services_builder.item_move(by=request.user, item=item, up=request.POST.get("to") == "up")
    except ValidationError as error:
        _flash_errors(request, error)
    return redirect("outcomes:questionnaire", pk=item.instrument_id)


@require_POST
@permission_required(policy, "build")
def publish(request, pk):
    instrument = _instrument(request, pk)
    form = PublishForm(request.POST)
    form.is_valid()
    try:
        services_builder.questionnaire_publish(
            by=request.user, instrument=instrument, scored=form.cleaned_data.get("scored", False)
        )
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(request, _("Questionnaire published: it can now be used."))
    return redirect("outcomes:questionnaire", pk=pk)


@require_POST
@permission_required(policy, "build")
def copy(request, pk):
    instrument = _instrument(request, pk)
    try:
        draft = services_builder.questionnaire_copy(by=request.user, instrument=instrument)
    except ValidationError as error:
        _flash_errors(request, error)
        return redirect("outcomes:questionnaire", pk=pk)
    messages.success(request, _("Copy created as a draft: change it, then publish it."))
    return redirect("outcomes:questionnaire", pk=draft.pk)
