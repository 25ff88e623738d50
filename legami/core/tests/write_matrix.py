"""The write half of the access matrix: every URL is sent a write with a minimal (empty) body,
as every role and as an anonymous visitor, and what happens is compared with who may write.

Who may write is declared, never observed: a page listed among the forms takes its writes from
those who may open it (its line in the read matrix), every other write (POST-only actions, API
actions, PUT/PATCH/DELETE) names its writers (the superuser among them when they are), and a
route named nowhere takes no writes. A permission widened or narrowed on any write then fails
the suite.

The outcome of a write is one of three, whatever the view's style:
- reached: the action judged the body (a form shown again with its errors, a 400, a redirect
  with a message, or the write done);
- refused: 401, 403, 404, or an anonymous visitor sent to sign in;
- no write: 405, the route takes no such method.
A 500 is always wrong.
"""

from django.conf import settings
from django.db import transaction
from django.shortcuts import resolve_url
from django.urls import reverse

from legami.core.roles import ALL_ROLES

ANON = "anonymous"
EVERY_CALLER = [ANON, *ALL_ROLES]
REACHED, REFUSED, NO_WRITE = "reached", "refused", "no write"
NOBODY: frozenset[str] = frozenset()
API_METHODS = ("put", "patch", "delete")


def outcome(response) -> str:
    status = response.status_code
    if status >= 500:
        return f"server error {status}"
    if status == 405:
        return NO_WRITE
    if status in (401, 403, 404, 410):
        return REFUSED
    if status == 302 and response["Location"].startswith(resolve_url(settings.LOGIN_URL)):
        return REFUSED
    if status in (200, 201, 204, 302, 400):
        return REACHED
    return f"unexpected {status}"


def undone(send):
    """Send one write and undo what it did, so that each write meets the same world (an empty
    removal form succeeds, and would take its object away from the writes after it)."""
    with transaction.atomic():
        response = send()
        transaction.set_rollback(True)
    return response


def writers(name: str, read: dict[str, int], writes: dict, forms: set[str]) -> set[str]:
    """Who may POST to `name`: those declared, or for a form whoever may open the page, or
    nobody."""
    if name in writes:
        return set(writes[name])
    if name in forms:
        return {caller for caller, status in read.items() if status == 200}
    return set()


def expected(caller: str, allowed: set[str]) -> set[str]:
    # A route that takes no write at all may refuse a stranger first or answer 405: both keep
    # them out.
    return {REACHED} if caller in allowed else {REFUSED, NO_WRITE}


def wrong_posts(client, caller, read_matrix, writes, forms, kwargs_for) -> list[str]:
    urls = {name: reverse(name, kwargs=kwargs_for(name)) for name in read_matrix}
    wrong = []
    for name, read in read_matrix.items():
        url = urls[name]
        got = outcome(undone(lambda url=url: client.post(url, {})))
        want = expected(caller, writers(name, read, writes, forms))
        if got not in want:
            wrong.append(f"POST {name} ({url}): {got}, expected {' or '.join(sorted(want))}")
    return wrong


def wrong_api_writes(client, caller, detail_names, api_writes, kwargs_for) -> list[str]:
    """PUT, PATCH and DELETE with an empty JSON body on every API detail route."""
    urls = {name: reverse(name, kwargs=kwargs_for(name)) for name in detail_names}
    wrong = []
    for name in detail_names:
        url = urls[name]
        for method in API_METHODS:
            allowed = set(api_writes.get(name, {}).get(method, NOBODY))
            response = undone(
                lambda url=url, method=method: getattr(client, method)(
                    url, data={}, content_type="application/json"
                )
            )
            got = outcome(response)
            want = expected(caller, allowed)
            if got not in want:
                wrong.append(
                    f"{method.upper()} {name} ({url}): {got}, expected {' or '.join(sorted(want))}"
                )
    return wrong
