"""Back office for impact measurement. The instrument library is data loaded by migration and
checked by `services.instrument_check`; here only its names and wording change, through
`services_instruments` (logged). Questionnaires built in Legami are read-only here (their
pages edit them). Responses are personal data: read-only, and each view is written to the
access log."""

from django.contrib import admin

from legami.core.admin import AuditedReadOnlyAdmin

from .models import Answer, Instrument, InstrumentItem, InterpretationBand, Response
from .services import instruments as services_instruments


class ItemInline(admin.TabularInline):
    model = InstrumentItem
    extra = 0
    fields = [
        "number",
        "text",
        "text_en",
        "text_fr",
        "scale_min",
        "scale_max",
        "reverse",
        "subscale",
    ]
    readonly_fields = ["number", "scale_min", "scale_max", "reverse", "subscale"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class BandInline(admin.TabularInline):
    model = InterpretationBand
    extra = 0
    fields = ["subscale", "low", "high", "label", "label_en", "label_fr", "is_flag"]
    readonly_fields = ["subscale", "low", "high", "is_flag"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    """Names and wording may be edited (an organisation loads a licensed instrument's wording
    here); the scoring rule, scales and bands may not."""

    list_display = ["code", "name", "licence", "item_text_licensed", "is_active"]
    list_filter = ["is_active", "item_text_licensed"]
    fields = [
        "code",
        "name",
        "name_en",
        "name_fr",
        "licence",
        "source",
        "item_text_licensed",
        "scoring",
        "min_score",
        "max_score",
        "minimal_important_change",
        "higher_is_better",
        "is_active",
    ]
    readonly_fields = [
        "code",
        "scoring",
        "min_score",
        "max_score",
        "minimal_important_change",
        "higher_is_better",
        "item_text_licensed",
    ]
    inlines = [ItemInline, BandInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        custom = obj is not None and obj.is_custom
        return not custom and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        pass  # written with its items and bands in save_related, by the one service call

    def save_related(self, request, form, formsets, change):
        rows = {}
        for formset in formsets:
            changed = [f for f in formset.forms if f.instance.pk and f.has_changed()]
            rows[formset.model] = {f.instance.pk: f.cleaned_data for f in changed}
            # Nothing is saved by the formset; Django's history still reads what changed.
            formset.new_objects, formset.deleted_objects = [], []
            formset.changed_objects = [(f.instance, f.changed_data) for f in changed]
        services_instruments.instrument_wording_update(
            by=request.user,
            instrument=form.instance,
            items=rows.get(InstrumentItem),
            bands=rows.get(InterpretationBand),
            **{k: form.cleaned_data[k] for k in services_instruments.INSTRUMENT_FIELDS},
        )


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    fields = ["item", "value"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Response)
class ResponseAdmin(AuditedReadOnlyAdmin):
    list_display = ["instrument", "timepoint", "administered_on", "is_complete", "score"]
    list_filter = ["instrument", "timepoint", "is_complete"]
    readonly_fields = [
        "instrument",
        "beneficiary",
        "referral",
        "timepoint",
        "administered_on",
        "mode",
        "entered_by",
        "is_complete",
        "raw_score",
        "score",
        "subscale_scores",
        "created_at",
    ]
    fields = readonly_fields
    inlines = [AnswerInline]
