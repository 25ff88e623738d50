"""The scoring engine against published scoring examples, on the library loaded by migration."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from legami.outcomes import scoring
from legami.outcomes.models import Instrument, InstrumentItem
from legami.outcomes.services import instrument_check

pytestmark = pytest.mark.django_db


def instrument(code):
    return Instrument.objects.get(code=code)


def score(code, answers):
    return scoring.score_answers(instrument(code), answers)


def test_library_is_loaded_and_every_rule_checks():
    codes = set(Instrument.objects.values_list("code", flat=True))
    assert {"who5", "ons4", "ucla3", "swemwbs"} <= codes
    for each in Instrument.objects.all():
        instrument_check(each)  # raises if a rule is broken


def test_swemwbs_ships_no_item_wording():
    swemwbs = instrument("swemwbs")
    assert swemwbs.item_text_licensed
    assert swemwbs.items.count() == 7
    assert not swemwbs.items.exclude(text="", text_en="", text_fr="").exists()


def test_who5_items_are_in_italian_english_and_french():
    item = instrument("who5").items.get(number=1)
    assert item.text_en == "I have felt cheerful and in good spirits"
    assert item.text and item.text_fr


@pytest.mark.parametrize(("value", "raw", "expected"), [(3, 15, 60), (5, 25, 100), (0, 0, 0)])
def test_who5_raw_sum_times_four(value, raw, expected):
    result = score("who5", dict.fromkeys(range(1, 6), value))
    assert result.is_complete
    assert result.raw_score == raw
    assert result.score == expected


def test_who5_one_missing_item_means_no_score():
    result = score("who5", {1: 5, 2: 5, 3: 5, 4: 5, 5: None})
    assert not result.is_complete
    assert result.score is None and result.raw_score is None


def test_who5_bands():
    who5 = instrument("who5")
    assert scoring.band_for(who5, Decimal(28)).is_flag
    assert scoring.band_for(who5, Decimal(48)).label_en == "Poor well-being"
    assert not scoring.band_for(who5, Decimal(52)).is_flag


def test_ucla_all_often_is_nine_and_lonely():
    ucla = instrument("ucla3")
    result = score("ucla3", {1: 3, 2: 3, 3: 3})
    assert result.score == 9
    assert scoring.band_for(ucla, result.score).is_flag
    assert not scoring.band_for(ucla, score("ucla3", {1: 1, 2: 2, 3: 2}).score).is_flag
    assert not ucla.higher_is_better


def test_ucla_missing_item_means_no_score():
    result = score("ucla3", {1: 3, 2: None, 3: 3})
    assert not result.is_complete and result.score is None


@pytest.mark.parametrize(
    ("answers", "raw", "metric"),
    [
        ([1] * 7, 7, "7.00"),
        ([3] * 7, 21, "19.25"),
        ([5] * 7, 35, "35.00"),
        ([4, 3, 5, 2, 4, 3, 4], 25, "22.35"),
        ([2, 2, 3, 1, 2, 3, 2], 15, "15.84"),
    ],
)
def test_swemwbs_rasch_conversion(answers, raw, metric):
    result = score("swemwbs", dict(enumerate(answers, start=1)))
    assert result.raw_score == raw
    assert result.score == Decimal(metric)


def test_swemwbs_missing_item_means_no_score():
    result = score("swemwbs", {1: 3, 2: 3, 3: 3, 4: 3, 5: 3, 6: 3})
    assert not result.is_complete and result.score is None


def test_ons4_scores_each_item_separately():
    result = score("ons4", {1: 7, 2: 8, 3: 6, 4: 2})
    assert result.is_complete
    assert result.score is None  # no total
    assert result.subscale_scores == {
        "life_satisfaction": 7,
        "worthwhile": 8,
        "happiness": 6,
        "anxiety": 2,
    }
    ons4 = instrument("ons4")
    assert scoring.band_for(ons4, Decimal(7), subscale="anxiety").is_flag
    assert not scoring.band_for(ons4, Decimal(7), subscale="happiness").is_flag


def test_ons4_missing_item_leaves_the_others_scored():
    result = score("ons4", {1: 7, 2: None, 3: 6, 4: 2})
    assert not result.is_complete
    assert result.subscale_scores["worthwhile"] is None
    assert result.subscale_scores["anxiety"] == 2


def test_reverse_items_are_flipped():
    specs = {1: scoring.ItemSpec(1, 1, 5), 2: scoring.ItemSpec(2, 1, 5, reverse=True)}
    result = scoring.compute({"method": "sum"}, specs, {1: 5, 2: 1})
    assert result.score == 10


def test_meaningful_change_follows_direction_and_mic():
    who5 = instrument("who5")  # MIC 10, higher is better
    assert scoring.meaningful_change(who5, 40, 52) == 1
    assert scoring.meaningful_change(who5, 40, 44) == 0
    assert scoring.meaningful_change(who5, 60, 48) == -1
    ucla = instrument("ucla3")  # no MIC established
    assert scoring.meaningful_change(ucla, 9, 3) is None


def test_rule_referring_to_a_missing_item_is_rejected():
    bad = Instrument.objects.create(
        code="bad", name="Bad", scoring={"method": "sum", "items": [1, 2, 3]}
    )
    InstrumentItem.objects.create(instrument=bad, number=1, scale_min=0, scale_max=4)
    InstrumentItem.objects.create(instrument=bad, number=2, scale_min=0, scale_max=4)
    with pytest.raises(ValidationError, match="item 3"):
        instrument_check(bad)


def test_incomplete_conversion_table_is_rejected():
    bad = Instrument.objects.create(
        code="bad-table",
        name="Bad table",
        scoring={"method": "sum_then_table", "table": {"2": 1.0, "3": 2.0}},
    )
    for number in (1, 2):
        InstrumentItem.objects.create(instrument=bad, number=number, scale_min=1, scale_max=2)
    with pytest.raises(ValidationError, match="lacks raw scores 4"):
        instrument_check(bad)


def test_unknown_method_is_rejected():
    bad = Instrument.objects.create(code="bad-method", name="Bad", scoring={"method": "median"})
    InstrumentItem.objects.create(instrument=bad, number=1, scale_min=0, scale_max=4)
    with pytest.raises(ValidationError, match="unknown scoring method"):
        instrument_check(bad)
