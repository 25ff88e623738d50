"""The people page: a search by name is POSTed and answered directly, so the name typed never
appears in a URL (server logs, browser history, Referer)."""

import re
from html.parser import HTMLParser

from django.test import Client
from django.urls import reverse

from legami.network.models import Membership, Person

PEOPLE = "/rete/persone/"


class _Forms(HTMLParser):
    """Each <form>'s attributes and the names of the inputs inside it; every link."""

    def __init__(self):
        super().__init__()
        self.forms, self.links = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"attrs": attrs, "inputs": {}})
        elif tag in {"input", "button"} and self.forms and attrs.get("name"):
            self.forms[-1]["inputs"][attrs["name"]] = attrs.get("value", "")
        elif tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])


def parse(response) -> _Forms:
    parser = _Forms()
    parser.feed(response.content.decode())
    return parser


def rows(response) -> list[str]:
    return re.findall(r'<td><a href="/rete/persone/\d+/">([^<]+)</a>', response.content.decode())


def test_the_name_search_is_posted_with_a_csrf_token_never_sent_in_the_url(world, client_for):
    page = parse(client_for("territory_admin").get(PEOPLE))
    searches = [f for f in page.forms if "q" in f["inputs"] and "page" not in f["inputs"]]
    assert len(searches) == 1
    search = searches[0]
    assert search["attrs"]["method"].lower() == "post"
    assert search["attrs"]["action"] == reverse("network:person_list")
    assert "csrfmiddlewaretoken" in search["inputs"]


def test_posted_search_is_answered_directly_and_the_name_stays_out_of_the_url(world, client_for):
    response = client_for("territory_admin").post(PEOPLE, {"q": "Persona"})
    assert response.status_code == 200  # the results themselves, not a redirect
    assert response.request["PATH_INFO"] == PEOPLE
    assert response.request.get("QUERY_STRING", "") == ""
    assert rows(response) == ["Demo Persona"]
    assert not [link for link in parse(response).links if "Persona" in link or "q=" in link]


def test_the_search_needs_the_csrf_token(world, personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["territory_admin"])
    assert client.post(PEOPLE, {"q": "Persona"}).status_code == 403
    forms = parse(client.get(PEOPLE)).forms
    token = next(f["inputs"]["csrfmiddlewaretoken"] for f in forms if "q" in f["inputs"])
    response = client.post(PEOPLE, {"q": "Persona", "csrfmiddlewaretoken": token})
    assert response.status_code == 200 and rows(response) == ["Demo Persona"]


def test_a_name_in_the_query_string_is_not_searched_nor_echoed(world, client_for):
    response = client_for("territory_admin").get(PEOPLE, {"q": "Persona"})
    assert response.status_code == 200
    assert sorted(rows(response)) == ["Demo Persona", "Pro Vider"]  # in scope; Fuori is not
    assert 'value="Persona"' not in response.content.decode()


def test_pages_of_a_search_post_the_name_again(world, client_for):
    for n in range(30):
        person = Person.objects.create(first_name=f"Nome{n:02d}", last_name="Rossini")
        Membership.objects.create(
            person=person, organisation=world["association"], role_title="Socio"
        )
    client = client_for("territory_admin")
    first = client.post(PEOPLE, {"q": "Rossini"})
    assert len(rows(first)) == 25
    page = parse(first)
    assert not [link for link in page.links if "Rossini" in link or "q=" in link]
    pages = [f for f in page.forms if f["inputs"].get("page")]
    assert len(pages) == 1  # "next" only
    assert pages[0]["attrs"]["method"] == "post" and pages[0]["inputs"]["q"] == "Rossini"
    assert "csrfmiddlewaretoken" in pages[0]["inputs"]
    second = client.post(PEOPLE, {"q": "Rossini", "page": pages[0]["inputs"]["page"]})
    assert second.status_code == 200 and len(rows(second)) == 5


def test_only_territory_administrators_search_people(world, client_for):
    assert client_for("citizen").post(PEOPLE, {"q": "Persona"}).status_code == 403
    anonymous = client_for(None).post(PEOPLE, {"q": "Persona"})
    assert anonymous.status_code == 302 and "Persona" not in anonymous["Location"]
