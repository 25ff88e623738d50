"""How often one connection uses a public form (self-referral, event feedback, training
registration), counted per hour in the shared cache (settings.CACHES: the database or Redis, the
same for every worker), per client address (`client_address`, which allauth's sign-in throttle
uses too).

A use is a numbered slot of the connection's hourly bucket, claimed with `cache.add`, which the
database cache (a primary key) and Redis (SET NX) grant to one process only: two workers
answering at the same moment cannot both take the last use. `take` is exact; `exceeded` and
`hit` (count first, add after) are kept for the forms that still use them and may let through
as many extra requests as arrive at the same instant.
"""

import ipaddress
import secrets

from django.conf import settings
from django.core.cache import cache

WINDOW = 3600  # seconds
_UNKNOWN = "unknown"


def _address(text: str) -> str:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return ""


def client_address(request) -> str:
    """The address limits count against. Behind our TLS proxy (BEHIND_TLS_PROXY) every request
    comes from the proxy, and the client is the X-Forwarded-For entry that the outermost of our
    TRUSTED_PROXY_COUNT proxies appended (entries further left are whatever the client sent, and
    anyone can send them). Otherwise, and when the header is missing or malformed, REMOTE_ADDR:
    a broken proxy then puts everyone in one bucket, which limits too much, never too little."""
    if settings.BEHIND_TLS_PROXY:
        hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        count = max(1, settings.TRUSTED_PROXY_COUNT)
        if len(hops) >= count:
            client = _address(hops[-count])
            if client:
                return client
    return _address(request.META.get("REMOTE_ADDR", "")) or _UNKNOWN


def _network(address: str) -> str:
    # One IPv6 customer holds a whole /64: counting its addresses apart would count nothing.
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return address


def _bucket(kind: str, request) -> str:
    """This hour's bucket of `kind` for the connection: the hour starts at its first use (an
    `opened` mark that expires with the window), not on the clock."""
    base = f"rate:{kind}:{_network(client_address(request))}"
    for _attempt in range(3):
        opened = cache.get(f"{base}:opened")
        if opened is not None:
            return f"{base}:{opened}"
        cache.add(f"{base}:opened", secrets.token_hex(4), WINDOW)
    return f"{base}:{_UNKNOWN}"


def _claim(bucket: str, most: int | None) -> str | None:
    """Claim the first free slot of `bucket` below `most` (no bound: None); its key."""
    number = cache.get(f"{bucket}:next", 0)
    while most is None or number < most:
        slot = f"{bucket}:{number}"
        if cache.add(slot, 1, WINDOW):
            cache.set(f"{bucket}:next", number + 1, WINDOW)
            return slot
        number += 1
    return None


class Uses:
    """Uses taken by `take`, one per kind; a use given back is free for the next request."""

    def __init__(self, slots: dict[str, str]):
        self.slots = slots

    def give_back(self, *kinds: str) -> None:
        for kind in kinds or list(self.slots):
            slot = self.slots.pop(kind, None)
            if slot is None:
                continue
            bucket, number = slot.rsplit(":", 1)
            cache.delete(slot)
            # Only a hint of where to look: a race here makes the next claim look further.
            if cache.get(f"{bucket}:next", 0) > int(number):
                cache.set(f"{bucket}:next", int(number), WINDOW)


def take(request, limits: dict[str, int]) -> Uses | None:
    """One use of each of `limits` ({kind: most per hour}) for this connection, or None (and
    nothing taken) when one of them has none left."""
    taken = Uses({})
    for kind, most in limits.items():
        slot = _claim(_bucket(kind, request), most)
        if slot is None:
            taken.give_back()
            return None
        taken.slots[kind] = slot
    return taken


def hits(kind: str, request) -> int:
    return cache.get(f"{_bucket(kind, request)}:next", 0)


def hit(kind: str, request) -> None:
    _claim(_bucket(kind, request), None)


def exceeded(request, limits: dict[str, int]) -> bool:
    """True when any of `limits` ({kind: most per hour}) is reached for this connection."""
    return any(hits(kind, request) >= most for kind, most in limits.items())
