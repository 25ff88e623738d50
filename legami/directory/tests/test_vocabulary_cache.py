"""The search page reads the vocabulary from the cache; saving a term through the service
renews it, so the next page shows the change."""

from datetime import timedelta

from django.utils import timezone

from legami.directory import queries, services
from legami.directory.models import Activity

SEARCH = "/attivita/"


def _rename(term, by, **names):
    fields = {
        "taxonomy": term.taxonomy,
        "code": term.code,
        "name": term.name,
        "name_en": term.name_en,
        "name_fr": term.name_fr,
        "description": term.description,
        "parent": term.parent,
    }
    return services.taxonomy_term_save(by=by, term=term, **{**fields, **names})


def test_the_search_page_computes_the_vocabulary_once(world, client, monkeypatch):
    calls = []
    real = queries.vocabulary
    monkeypatch.setattr(queries, "vocabulary", lambda: calls.append(1) or real())
    for _ in range(3):
        assert client.get(SEARCH).status_code == 200
    assert client.get("/api/v1/directory/activities/").status_code == 200
    assert len(calls) == 1


def test_a_term_renamed_through_the_service_shows_on_the_next_search_page(world, client, personas):
    term = world["term"]
    old = term.name
    assert old in client.get(SEARCH).content.decode()  # now cached
    _rename(term, personas["superuser"], name="Sentirsi soli")
    page = client.get(SEARCH).content.decode()
    assert "Sentirsi soli" in page and old not in page


def test_each_language_sees_its_own_label_after_a_rename(world, client, personas):
    term = world["term"]
    english = client.get(SEARCH, headers={"accept-language": "en"}).content.decode()
    assert term.name_en in english
    _rename(term, personas["superuser"], name_en="Feeling alone")
    english = client.get(SEARCH, headers={"accept-language": "en"}).content.decode()
    assert "Feeling alone" in english
    italian = client.get(SEARCH, headers={"accept-language": "it"}).content.decode()
    assert term.name in italian and "Feeling alone" not in italian


def test_stale_listings_are_counted_for_the_manage_page(world, personas):
    provider = personas["provider"]
    assert queries.stale_activity_count(provider) == 0
    Activity.objects.filter(pk=world["activity"].pk).update(
        last_verified_on=timezone.localdate() - services.REVERIFY_AFTER - timedelta(days=1)
    )
    assert queries.stale_activity_count(provider) == 1
    assert queries.stale_activity_count(personas["citizen"]) == 0
