"""Impact measurement: the library of validated instruments (as data: items, interpretation
bands and the scoring rule in JSON), and the responses people give to them.

The scoring rule lives in `Instrument.scoring` and is read by `scoring.py`; no code path is keyed
on an instrument's code. Texts are in Italian (`text`, the default language) with English and
French beside them; an instrument whose wording is licensed (`item_text_licensed`) ships no text.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from legami.core.crypto import EncryptedTextField
from legami.core.i18n import localised
from legami.directory.models import Activity, TaxonomyTerm
from legami.referrals.models import Beneficiary, Referral
from legami.territory.models import Comune


class Purpose(models.TextChoices):
    PERSON = "person", _("a person (well-being, outcomes)")
    ORGANISATION = "organisation", _("an organisation (organisation survey)")
    EVENT = "event", _("participants in an event (feedback)")


class ItemKind(models.TextChoices):
    LIKERT = "likert", _("scale (Likert)")
    NUMERIC = "numeric", _("number")
    SINGLE = "single", _("one choice")
    MULTIPLE = "multiple", _("several choices")
    TEXT = "text", _("free text")


# Kinds whose answer is one number, which a scoring rule can add up.
SCORABLE_KINDS = (ItemKind.LIKERT, ItemKind.NUMERIC, ItemKind.SINGLE)
CHOICE_KINDS = (ItemKind.SINGLE, ItemKind.MULTIPLE)


class Instrument(models.Model):
    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    licence = models.CharField(_("licence"), max_length=300, blank=True)
    source = models.TextField(_("source"), blank=True, help_text=_("Citation and address."))
    item_text_licensed = models.BooleanField(
        _("item wording under licence"),
        default=False,
        help_text=_(
            "The wording of the items is not shipped: each organisation loads it under its "
            "own licence."
        ),
    )
    instructions = models.TextField(_("instructions"), blank=True)
    instructions_en = models.TextField(_("instructions (English)"), blank=True)
    instructions_fr = models.TextField(_("instructions (French)"), blank=True)
    # What each answer means, shown beside its number: {"5": ["Per tutto il tempo", "All of
    # the time", "Tout le temps"], ...} (Italian, English, French); a value may be left out.
    answer_labels = models.JSONField(_("answer labels"), default=dict, blank=True)
    scoring = models.JSONField(_("scoring rule"), default=dict)
    min_score = models.DecimalField(
        _("lowest score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    max_score = models.DecimalField(
        _("highest score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    minimal_important_change = models.DecimalField(
        _("minimal important change"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    is_active = models.BooleanField(_("active"), default=True)
    purpose = models.CharField(
        _("who answers it"), max_length=16, choices=Purpose.choices, default=Purpose.PERSON
    )
    # Questionnaires built in Legami (not the validated library): editable while a draft,
    # frozen once published so that every answer was given to the same questions.
    is_custom = models.BooleanField(_("built in Legami"), default=False, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(purpose__in=Purpose.values), name="instrument_purpose_valid"
            ),
            models.CheckConstraint(
                condition=Q(min_score__isnull=True)
                | Q(max_score__isnull=True)
                | Q(min_score__lte=F("max_score")),
                name="instrument_score_range",
            ),
        ]

    def __str__(self):
        return self.localised_name

    @property
    def localised_name(self) -> str:
        return localised(self, "name")

    @property
    def localised_instructions(self) -> str:
        return localised(self, "instructions")

    def answer_label(self, value: int) -> str:
        return _label_in_language(self.answer_labels.get(str(value)))

    @property
    def is_draft(self) -> bool:
        return self.is_custom and self.published_at is None

    @property
    def reported_by_subscale(self) -> bool:
        """Scored per item or subscale, with no total (ONS4): compared one subscale at a time."""
        return self.scoring.get("method") == "per_item"

    def subscale_names(self) -> list[str]:
        """In the questionnaire's order (by their first item): PostgreSQL's jsonb does not keep
        the order the keys were written in."""
        subscales = self.scoring.get("subscales") or {}

        def first_item(name):
            spec = subscales[name]
            items = spec.get("items") if isinstance(spec, dict) else spec
            return (min(items) if items else 0, name)

        return sorted(subscales, key=first_item)

    def subscale_label(self, name: str) -> str:
        spec = (self.scoring.get("subscales") or {}).get(name)
        label = _label_in_language(spec.get("label")) if isinstance(spec, dict) else ""
        return label or name

    def subscale_higher_is_better(self, name: str) -> bool:
        spec = (self.scoring.get("subscales") or {}).get(name)
        if isinstance(spec, dict) and "higher_is_better" in spec:
            return bool(spec["higher_is_better"])
        return self.higher_is_better


def _label_in_language(labels) -> str:
    """The current language's entry of an [Italian, English, French] list, else the Italian."""
    labels = labels or []
    language = (translation.get_language() or "it")[:2]
    position = {"en": 1, "fr": 2}.get(language, 0)
    if position < len(labels) and labels[position]:
        return labels[position]
    return labels[0] if labels else ""


class InstrumentSection(models.Model):
    """A titled group of items of a built questionnaire ("Your organisation", "The event")."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="sections")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    title_fr = models.CharField(_("title (French)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["instrument", "number"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "number"], name="section_unique_number"),
        ]

    def __str__(self):
        return self.localised_title

    @property
    def localised_title(self) -> str:
        return localised(self, "title")


class InstrumentItem(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField(_("number"))
    section = models.ForeignKey(
        InstrumentSection,
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="items",
    )
    kind = models.CharField(
        _("kind of answer"), max_length=10, choices=ItemKind.choices, default=ItemKind.LIKERT
    )
    text = models.TextField(_("text"), blank=True)
    text_en = models.TextField(_("text (English)"), blank=True)
    text_fr = models.TextField(_("text (French)"), blank=True)
    # Scales and numbers: the answers allowed, ends included. Choices and text have none.
    scale_min = models.IntegerField(_("lowest answer"), null=True, blank=True)
    scale_max = models.IntegerField(_("highest answer"), null=True, blank=True)
    # Choices (and, optionally, the labels of a scale's points): [{"value": 1, "label":
    # ["Sì", "Yes", "Oui"]}, ...].
    options = models.JSONField(_("options"), default=list, blank=True)
    required = models.BooleanField(_("needed for a complete answer"), default=False)
    reverse = models.BooleanField(_("reverse scored"), default=False)
    subscale = models.SlugField(_("subscale"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["instrument", "number"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "number"], name="item_unique_number"),
            models.CheckConstraint(
                condition=Q(scale_min__isnull=True)
                | Q(scale_max__isnull=True)
                | Q(scale_min__lt=F("scale_max")),
                name="item_scale_range",
            ),
            models.CheckConstraint(condition=Q(kind__in=ItemKind.values), name="item_kind_valid"),
        ]

    def __str__(self):
        return f"{self.instrument.code} {self.number}"

    @property
    def localised_text(self) -> str:
        return localised(self, "text")

    def option_label(self, value) -> str:
        for option in self.options:
            if option.get("value") == value:
                return _label_in_language(option.get("label"))
        return ""

    def answer_label(self, value) -> str:
        """What an answer means: the item's own option label, else the instrument's scale."""
        return self.option_label(value) or self.instrument.answer_label(value)


class InterpretationBand(models.Model):
    """A range of scores with its meaning; `subscale` blank means the instrument's score."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="bands")
    subscale = models.SlugField(_("subscale"), max_length=40, blank=True)
    low = models.DecimalField(_("from"), max_digits=6, decimal_places=2)
    high = models.DecimalField(_("to"), max_digits=6, decimal_places=2)
    label = models.CharField(_("label"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200, blank=True)
    label_fr = models.CharField(_("label (French)"), max_length=200, blank=True)
    is_flag = models.BooleanField(
        _("flag"), default=False, help_text=_("A score here deserves the worker's attention.")
    )

    class Meta:
        verbose_name = _("interpretation band")
        verbose_name_plural = _("interpretation bands")
        ordering = ["instrument", "subscale", "low"]
        constraints = [
            models.CheckConstraint(condition=Q(low__lte=F("high")), name="band_range"),
        ]

    def __str__(self):
        return f"{self.low}–{self.high} {self.localised_label}"

    @property
    def localised_label(self) -> str:
        return localised(self, "label")


class Timepoint(models.TextChoices):
    BASELINE = "baseline", _("baseline")
    FOLLOW_UP_3M = "follow_up_3m", _("follow-up at 3 months")
    FOLLOW_UP_6M = "follow_up_6m", _("follow-up at 6 months")
    OTHER = "other", _("other")


FOLLOW_UPS = (Timepoint.FOLLOW_UP_3M, Timepoint.FOLLOW_UP_6M)


class Mode(models.TextChoices):
    WORKER = "worker", _("administered by a worker")
    SELF = "self", _("self-completed")


class Response(models.Model):
    instrument = models.ForeignKey(
        Instrument, verbose_name=_("instrument"), on_delete=models.PROTECT, related_name="responses"
    )
    beneficiary = models.ForeignKey(
        Beneficiary,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="outcome_responses",
    )
    referral = models.ForeignKey(
        Referral,
        verbose_name=_("referral"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outcome_responses",
    )
    timepoint = models.CharField(_("timepoint"), max_length=16, choices=Timepoint.choices)
    administered_on = models.DateField(_("administered on"))
    mode = models.CharField(_("mode"), max_length=8, choices=Mode.choices, default=Mode.WORKER)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_complete = models.BooleanField(_("complete"), default=False)
    raw_score = models.DecimalField(
        _("raw score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    # Instruments reported per item or per subscale (ONS4): {"anxiety": "3.00", ...}.
    subscale_scores = models.JSONField(_("subscale scores"), default=dict, blank=True)
    # A follow-up is paired once, when recorded, with the person's first scored baseline of the
    # same instrument: the impact dashboard then aggregates plain columns in the database.
    baseline = models.ForeignKey(
        "self",
        verbose_name=_("paired baseline"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
    )
    change = models.DecimalField(
        _("change from baseline"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    # Where the person lived when answering, copied as the referral copies it: the territory
    # scope and the breakdown by comune read the response alone.
    comune = models.ForeignKey(
        Comune,
        verbose_name=_("comune of residence"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The activity the person was taking part in when the follow-up was recorded, and its
    # domain: what the dashboard breaks the change down by, fixed as it was at the time.
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    domain = models.ForeignKey(
        TaxonomyTerm,
        verbose_name=_("activity domain"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["beneficiary", "instrument", "administered_on", "created_at"]
        indexes = [
            models.Index(
                fields=["beneficiary", "instrument", "administered_on"],
                name="response_person_instrument",
            ),
            # The dashboard reads paired follow-ups of one instrument.
            models.Index(
                fields=["instrument", "timepoint", "administered_on"],
                name="response_instrument_time",
                condition=Q(change__isnull=False),
            ),
            # Instruments compared per subscale (ONS4) read the follow-ups paired with a
            # baseline, whose change lies in the subscale scores.
            models.Index(
                fields=["instrument", "timepoint", "administered_on"],
                name="response_paired_time",
                condition=Q(change__isnull=True, baseline__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(timepoint__in=Timepoint.values), name="response_timepoint_valid"
            ),
            models.CheckConstraint(condition=Q(mode__in=Mode.values), name="response_mode_valid"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(raw_score__isnull=False),
                name="response_score_has_raw",
            ),
        ]

    def __str__(self):
        return f"{self.instrument.code} · {self.get_timepoint_display()} · {self.administered_on}"

    def labelled_subscale_scores(self) -> list[tuple[str, str | None]]:
        return [
            (self.instrument.subscale_label(name), value)
            for name, value in self.subscale_scores.items()
        ]


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(InstrumentItem, on_delete=models.PROTECT, related_name="answers")
    value = models.IntegerField(_("value"), null=True, blank=True)
    # Several choices: the option values chosen. Free text: encrypted, it may say anything.
    choices = models.JSONField(_("choices"), default=list, blank=True)
    text = EncryptedTextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["response", "item__number"]
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="answer_unique_item"),
        ]

    def __str__(self):
        return f"{self.item} = {self.value}"


class SelfCompletionLink(models.Model):
    """A single-use address (and QR code) through which a person answers one questionnaire on
    their own phone, without an account. Only a keyed hash of the token is stored: the address
    cannot be rebuilt from the database."""

    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    instrument = models.ForeignKey(
        Instrument, verbose_name=_("instrument"), on_delete=models.PROTECT, related_name="+"
    )
    beneficiary = models.ForeignKey(
        Beneficiary,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="outcome_links",
    )
    referral = models.ForeignKey(
        Referral,
        verbose_name=_("referral"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    timepoint = models.CharField(_("timepoint"), max_length=16, choices=Timepoint.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    # Answers given so far: a person interrupted half-way finds them again.
    draft = models.JSONField(_("answers saved so far"), default=dict, blank=True)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    response = models.OneToOneField(
        Response,
        verbose_name=_("response"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="self_completion_link",
    )

    class Meta:
        verbose_name = _("self-completion link")
        verbose_name_plural = _("self-completion links")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(timepoint__in=Timepoint.values), name="link_timepoint_valid"
            ),
        ]

    def __str__(self):
        return (
            f"{self.instrument.code} · {self.get_timepoint_display()} · {self.created_at:%Y-%m-%d}"
        )


from .evidence import Code, Evidence, EvidenceKind  # noqa: E402, F401
from .indicators import Indicator, IndicatorReading, IndicatorState, Metric  # noqa: E402, F401
from .sroi import QuantitySource, SroiAnalysis, SroiOutcome  # noqa: E402, F401
from .surveys import Survey, SurveyAnswer, SurveyResponse  # noqa: E402, F401
