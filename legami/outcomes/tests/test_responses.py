"""Recording a response: consent, dates, scales, baseline before follow-up, scoring, audit."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from legami.core.models import AuditEvent
from legami.outcomes import services
from legami.outcomes.models import Answer, Instrument, Response
from legami.referrals.models import Beneficiary
from legami.referrals.services import consent_give, consent_withdraw

pytestmark = pytest.mark.django_db


def record(care, code="who5", answers=None, **overrides):
    instrument = Instrument.objects.get(code=code)
    data = {
        "by": care["link_worker"],
        "instrument": instrument,
        "beneficiary": care["referral"].beneficiary,
        "referral": care["referral"],
        "timepoint": "baseline",
        "administered_on": timezone.localdate() - timedelta(days=30),
        "answers": answers if answers is not None else dict.fromkeys(range(1, 6), 3),
    }
    data.update(overrides)
    return services.response_record(**data)


def test_record_scores_and_audits(care):
    response = record(care)
    assert response.is_complete
    assert response.raw_score == 15 and response.score == 60
    assert response.entered_by == care["link_worker"]
    assert sorted(response.answers.values_list("item__number", "value")) == [
        (n, 3) for n in range(1, 6)
    ]
    event = AuditEvent.objects.get(object_type="outcomes.response", object_id=str(response.pk))
    assert event.action == "create"
    assert event.purpose == "outcome measurement"


def test_partial_answers_are_kept_without_a_score(care):
    response = record(care, answers={1: 3, 2: 3, 3: None, 4: 3})
    assert not response.is_complete
    assert response.score is None
    assert response.answers.count() == 5  # item 5 stored as unanswered
    assert response.answers.filter(value__isnull=True).count() == 2


def test_ons4_stores_per_item_scores(care):
    response = record(care, code="ons4", answers={1: 7, 2: 8, 3: 6, 4: 2})
    response.refresh_from_db()
    assert response.score is None
    assert response.subscale_scores == {
        "life_satisfaction": "7.00",
        "worthwhile": "8.00",
        "happiness": "6.00",
        "anxiety": "2.00",
    }


def test_swemwbs_metric_score_is_stored(care):
    response = record(care, code="swemwbs", answers=dict.fromkeys(range(1, 8), 3))
    response.refresh_from_db()
    assert str(response.score) == "19.25"
    assert response.raw_score == 21


def test_without_outcomes_consent_nothing_is_saved(care):
    person = care["referral"].beneficiary
    consent_withdraw(by=care["link_worker"], beneficiary=person, purpose="outcomes")
    with pytest.raises(ValidationError, match="consent to outcome measurement"):
        record(care)
    assert not Response.objects.exists()
    assert not Answer.objects.exists()


def test_out_of_range_answer_names_the_item_and_saves_nothing(care):
    with pytest.raises(ValidationError) as caught:
        record(care, answers={1: 3, 2: 3, 3: 6, 4: 3, 5: 3})
    assert "Item 3" in str(caught.value)
    assert "between 0 and 5" in str(caught.value)
    assert not Response.objects.exists()


def test_unknown_item_is_rejected(care):
    with pytest.raises(ValidationError, match="Item 9 is not part"):
        record(care, answers={1: 3, 9: 3})
    assert not Response.objects.exists()


def test_future_date_is_rejected(care):
    with pytest.raises(ValidationError, match="future"):
        record(care, administered_on=timezone.localdate() + timedelta(days=1))
    assert not Response.objects.exists()


def test_follow_up_needs_an_earlier_baseline(care):
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="cannot come before its baseline"):
        record(care, timepoint="follow_up_3m", administered_on=today)
    record(care, administered_on=today - timedelta(days=10))
    with pytest.raises(ValidationError, match="cannot come before its baseline"):
        record(care, timepoint="follow_up_3m", administered_on=today - timedelta(days=20))
    # A baseline of another instrument does not count.
    with pytest.raises(ValidationError, match="cannot come before its baseline"):
        record(care, code="ucla3", answers={1: 2, 2: 2, 3: 2}, timepoint="follow_up_3m")
    follow_up = record(
        care, timepoint="follow_up_3m", administered_on=today, answers=dict.fromkeys(range(1, 6), 5)
    )
    assert follow_up.score == 100
    assert Response.objects.count() == 2


def test_referral_of_another_person_is_rejected(care):
    other = Beneficiary.objects.create(
        first_name="Anna", last_name="Bianchi", comune=care["arcidosso"]
    )
    consent_give(by=None, beneficiary=other, purpose="outcomes")
    with pytest.raises(ValidationError, match="another person"):
        record(care, beneficiary=other)
