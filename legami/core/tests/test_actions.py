"""The action machinery every service uses: Policy.authorize (403 for a wrong role, 404 out of
scope, the system may act), explicit anonymous and citizen roles, and a Refusal mapped once
for pages (a message, nothing changed) and once for the API (409)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory
from rest_framework.test import APIRequestFactory

from legami.core import roles
from legami.core.api import exception_handler
from legami.core.errors import Refusal
from legami.core.middleware import RefusalMiddleware
from legami.core.permissions import Policy, anyone, only
from legami.network.models import Organisation


def _in_arcidosso(user, queryset):
    return queryset.filter(comune__istat_code="053001")


POLICY = Policy(
    "test",
    {
        "edit": only(roles.TERRITORY_ADMIN, scope=_in_arcidosso),
        "ask_help": only(roles.ANONYMOUS, roles.CITIZEN, superuser=False),
        "read": anyone(),
    },
)


def test_authorize_refuses_a_wrong_role_and_hides_what_is_out_of_scope(world, personas):
    inside, outside = world["association"], world["outside_org"]
    admin = personas[roles.TERRITORY_ADMIN]
    POLICY.authorize(admin, "edit", inside)
    with pytest.raises(Http404):
        POLICY.authorize(admin, "edit", outside)
    with pytest.raises(PermissionDenied):
        POLICY.authorize(personas[roles.PROVIDER], "edit", inside)
    POLICY.authorize(None, "edit", outside)  # the system (a job, the demo loader)
    POLICY.authorize(personas[roles.SUPERUSER], "edit", outside)
    with pytest.raises(Http404):
        POLICY.authorize(admin, "edit", Organisation(name="not saved"))


def test_anonymous_and_citizen_are_roles_like_the_others(personas):
    from django.contrib.auth.models import AnonymousUser

    POLICY.authorize(AnonymousUser(), "ask_help")
    POLICY.authorize(personas[roles.CITIZEN], "ask_help")
    for role in (roles.PRESCRIBER, roles.SUPERUSER):
        with pytest.raises(PermissionDenied):
            POLICY.authorize(personas[role], "ask_help")
    POLICY.authorize(AnonymousUser(), "read")


def test_a_refusal_is_409_in_the_api():
    request = APIRequestFactory().post("/api/v1/x/")
    response = exception_handler(Refusal("The session is full."), {"request": request})
    assert response.status_code == 409
    assert response.data == {"detail": "The session is full."}


def test_a_refusal_on_a_page_is_a_message_and_a_way_back(db, client):
    from django.contrib.messages.storage.fallback import FallbackStorage

    request = RequestFactory().post("/rete/x/", HTTP_REFERER="http://testserver/rete/")
    request.session = {}
    request._messages = FallbackStorage(request)
    response = RefusalMiddleware(lambda r: None).process_exception(
        request, Refusal("A closed referral cannot be reassigned.")
    )
    assert response.status_code == 302 and response["Location"] == "http://testserver/rete/"
    assert [str(m) for m in request._messages] == ["A closed referral cannot be reassigned."]
    elsewhere = RequestFactory().post("/rete/x/", HTTP_REFERER="https://evil.example/")
    elsewhere.session = {}
    elsewhere._messages = FallbackStorage(elsewhere)
    response = RefusalMiddleware(lambda r: None).process_exception(elsewhere, Refusal("No."))
    assert response["Location"] == "/"
