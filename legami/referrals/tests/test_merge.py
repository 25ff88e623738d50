"""A possible duplicate, as the link worker handles it: seen on the case page and in the
caseload, compared, then merged (everything moves to the record kept, nothing of it changes
unless chosen) or dismissed; page and API call the same services."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from legami.core.models import AuditEvent
from legami.outcomes.models import Instrument, Response, SelfCompletionLink
from legami.referrals import services
from legami.referrals.models import AccountLinkCode, Beneficiary, Consent, Referral

from .conftest import TAX_CODE, engage, person_data
from .test_identity import snapshot

REFERRALS = "/api/v1/referrals/referrals/"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def flagged(care):
    """Maria's referral by her social worker (taken to "assessed", with an outcome response),
    and a self-referral typed with her name and birth date, a new phone and an account."""
    kept = engage(care)
    instrument = Instrument.objects.order_by("pk").first()
    Response.objects.create(
        instrument=instrument,
        beneficiary=kept.beneficiary,
        referral=kept,
        timepoint="baseline",
        administered_on=timezone.localdate(),
    )
    new = services.referral_create(
        by=care["citizen"],
        person=person_data(
            care["arcidosso"], tax_code="", phone="333 7777777", email="maria@posta.example"
        ),
        consents=["care", "research"],
    )
    SelfCompletionLink.objects.create(
        token_hash="x" * 64,
        instrument=instrument,
        beneficiary=new.beneficiary,
        referral=new,
        timepoint="baseline",
        expires_at=timezone.now() + timedelta(days=3),
    )
    AccountLinkCode.objects.create(
        user=care["citizen"],
        beneficiary=new.beneficiary,
        code_hash="y" * 64,
        expires_at=timezone.now() + timedelta(minutes=5),
    )
    assert new.beneficiary.possible_duplicate_of_id == kept.beneficiary_id
    return {"kept": kept, "new": new}


def test_the_flag_shows_to_the_link_worker_only(care, flagged, personas):
    new = flagged["new"]
    detail = reverse("referrals:detail", args=[new.pk])
    page = signed_in(care["link_worker"]).get(detail).content.decode()
    assert "Possible duplicate" in page
    assert reverse("referrals:duplicate", args=[new.pk]) in page
    page = signed_in(personas["superuser"]).get(detail).content.decode()
    assert "Possible duplicate" not in page
    api = signed_in(personas["superuser"]).get(f"{REFERRALS}{new.pk}/").json()
    assert api["possible_duplicate_of"] is None
    caseload = reverse("referrals:caseload")
    listed = signed_in(care["link_worker"]).get(caseload, {"view": "all", "duplicates": "1"})
    html = listed.content.decode()
    assert detail in html and "possible duplicate" in html
    assert reverse("referrals:detail", args=[flagged["kept"].pk]) not in html
    api = signed_in(care["link_worker"]).get(REFERRALS, {"view": "all", "duplicates": True})
    rows = api.json()["results"]
    assert [r["id"] for r in rows] == [new.pk]
    assert rows[0]["possible_duplicate_of"] == flagged["kept"].beneficiary_id


def test_the_comparison_masks_the_other_record(care, flagged):
    new = flagged["new"]
    response = signed_in(care["link_worker"]).get(reverse("referrals:duplicate", args=[new.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "333 7777777" in html  # this request's own number
    assert "0564 000000" not in html and "••• 00" in html  # the other record's, masked
    assert TAX_CODE not in html
    assert AuditEvent.objects.filter(
        actor=care["link_worker"],
        action="view",
        object_id=str(flagged["kept"].beneficiary_id),
        purpose="possible duplicate: comparison before merging",
    ).exists()
    outside = signed_in(care["outside_worker"])
    assert outside.get(reverse("referrals:duplicate", args=[new.pk])).status_code == 404
    prescriber = signed_in(care["prescriber"])
    assert prescriber.get(reverse("referrals:duplicate", args=[new.pk])).status_code == 403
    page = prescriber.get(reverse("referrals:detail", args=[flagged["kept"].pk]))
    assert "Possible duplicate" not in page.content.decode()


def test_merge_moves_everything_and_changes_only_what_is_chosen(care, flagged):
    kept, new = flagged["kept"], flagged["new"]
    person, duplicate = kept.beneficiary, new.beneficiary
    before = snapshot(person)
    responses = Response.objects.count()

    response = signed_in(care["link_worker"]).post(
        reverse("referrals:duplicate_merge", args=[new.pk]),
        {"take": ["phone", "user"]},
        follow=True,
    )

    assert "The two records are now one" in response.content.decode()
    assert not Beneficiary.objects.filter(pk=duplicate.pk).exists()
    assert set(Referral.objects.filter(beneficiary=person).values_list("pk", flat=True)) == {
        kept.pk,
        new.pk,
    }
    assert Response.objects.count() == responses  # nothing lost with the duplicate
    assert SelfCompletionLink.objects.get().beneficiary_id == person.pk
    assert not AccountLinkCode.objects.exists()
    after = snapshot(person)
    changed = {name for name in after if after[name] != before[name]}
    assert changed == {"phone", "user_id", "updated_at"}
    assert after["phone"] == "333 7777777" and after["user_id"] == care["citizen"].pk
    assert after["email"] == before["email"]  # not chosen: kept as it was
    # Consents: one active per purpose, the newer one; research came with the new request.
    active = Consent.objects.filter(beneficiary=person, withdrawn_at__isnull=True)
    assert sorted(active.values_list("purpose", flat=True)) == [
        "care",
        "contact",
        "outcomes",
        "research",
    ]
    assert Consent.objects.filter(
        beneficiary=person, purpose="care", withdrawn_by_label="superseded: records merged"
    ).exists()
    merge = AuditEvent.objects.get(purpose="records merged after checking identity with the person")
    assert merge.actor == care["link_worker"] and merge.object_id == str(person.pk)
    assert merge.changes["merged_record"] == duplicate.pk
    assert merge.changes["fields"] == ["phone", "user"]
    assert merge.changes["moved"]["referrals.referral"] == 1
    assert AuditEvent.objects.filter(
        action="delete", object_id=str(duplicate.pk), purpose=f"merged into record {person.pk}"
    ).exists()
    # The citizen now sees both requests; the kept record counts as checked.
    assert Referral.objects.filter(beneficiary__user=care["citizen"]).count() == 2
    assert not Beneficiary.objects.get(pk=person.pk).self_declared


def test_merge_without_choices_overwrites_nothing(care, flagged):
    person = flagged["kept"].beneficiary
    before = snapshot(person)
    services.beneficiary_merge(
        by=care["link_worker"], keep=person, duplicate=flagged["new"].beneficiary
    )
    after = snapshot(person)
    assert {k for k in after if after[k] != before[k]} == {"updated_at"}


def test_merge_is_refused_to_others_and_for_unflagged_records(care, flagged):
    person, duplicate = flagged["kept"].beneficiary, flagged["new"].beneficiary
    for who in (care["prescriber"], care["provider"], AnonymousUser()):
        with pytest.raises(PermissionDenied):
            services.beneficiary_merge(by=who, keep=person, duplicate=duplicate)
    # A link worker of another territory: as if the record did not exist.
    with pytest.raises(Http404):
        services.beneficiary_merge(by=care["outside_worker"], keep=person, duplicate=duplicate)
    with pytest.raises(ValidationError, match="not flagged"):
        services.beneficiary_merge(by=care["link_worker"], keep=duplicate, duplicate=person)
    with pytest.raises(ValidationError):
        services.beneficiary_merge(
            by=care["link_worker"], keep=person, duplicate=duplicate, take=["pseudonym"]
        )
    assert Beneficiary.objects.filter(pk=duplicate.pk).exists()


def test_dismissing_the_flag_is_audited_and_keeps_both(care, flagged):
    new = flagged["new"]
    response = signed_in(care["link_worker"]).post(
        reverse("referrals:duplicate_dismiss", args=[new.pk]), follow=True
    )
    assert "not the same person" in response.content.decode()
    duplicate = Beneficiary.objects.get(pk=new.beneficiary_id)
    assert duplicate.possible_duplicate_of is None
    assert Beneficiary.objects.filter(pk=flagged["kept"].beneficiary_id).exists()
    assert AuditEvent.objects.filter(
        actor=care["link_worker"],
        object_id=str(duplicate.pk),
        purpose="possible duplicate dismissed: not the same person",
    ).exists()
    page = signed_in(care["link_worker"]).get(reverse("referrals:detail", args=[new.pk]))
    assert "Possible duplicate" not in page.content.decode()
    with pytest.raises(ValidationError):
        services.beneficiary_duplicate_dismiss(by=care["link_worker"], beneficiary=duplicate)


def test_the_api_compares_merges_and_dismisses_with_the_same_services(care, flagged):
    new = flagged["new"]
    client = signed_in(care["link_worker"])
    comparison = client.get(f"{REFERRALS}{new.pk}/duplicate/")
    assert comparison.status_code == 200
    body = comparison.json()
    assert body["record"] == flagged["kept"].beneficiary_id
    phone = next(row for row in body["rows"] if row["name"] == "phone")
    assert phone["here"] == "333 7777777" and "0564 000000" not in phone["there"]
    assert phone["can_take"] is True
    outside = signed_in(care["outside_worker"])
    assert outside.post(f"{REFERRALS}{new.pk}/merge/", {}).status_code == 404
    response = client.post(
        f"{REFERRALS}{new.pk}/merge/", {"take": ["email"]}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["possible_duplicate_of"] is None
    person = Beneficiary.objects.get(pk=flagged["kept"].beneficiary_id)
    assert person.email == "maria@posta.example" and person.phone == "0564 000000"
    assert client.get(f"{REFERRALS}{new.pk}/duplicate/").status_code == 404  # nothing flagged


def test_the_api_dismisses(care, flagged):
    new = flagged["new"]
    client = signed_in(care["link_worker"])
    response = client.post(f"{REFERRALS}{new.pk}/dismiss-duplicate/")
    assert response.status_code == 200
    assert Beneficiary.objects.get(pk=new.beneficiary_id).possible_duplicate_of is None
    again = client.post(f"{REFERRALS}{new.pk}/dismiss-duplicate/")
    assert again.status_code == 404
