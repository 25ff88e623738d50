"""How often one connection uses a public form (self-referral, event feedback, training
registration), counted per hour in the cache. Keyed on the client address Django sees
(REMOTE_ADDR): behind a proxy, configure it to pass the client's address there."""

from django.core.cache import cache

WINDOW = 3600  # seconds


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(kind: str, request) -> str:
    return f"legami:rate:{kind}:{client_address(request)}"


def hits(kind: str, request) -> int:
    return cache.get(_key(kind, request), 0)


def hit(kind: str, request) -> None:
    key = _key(kind, request)
    cache.add(key, 0, WINDOW)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW)


def exceeded(request, limits: dict[str, int]) -> bool:
    """True when any of `limits` ({kind: most per hour}) is reached for this connection."""
    return any(hits(kind, request) >= most for kind, most in limits.items())
