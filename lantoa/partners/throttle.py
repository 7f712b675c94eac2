"""Rate limits of the partners' public link pages, per client address (tenancy.network.client_ip)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache

from lantoa.tenancy.network import client_ip

WINDOW_SECONDS = 3600
LIMITS = {
    "open": 120,  # pages opened from one address in an hour (an unknown token counts too: guessing is slowed)
    "submit": 30,  # forms sent from one address in an hour
}


def allow(request, kind: str) -> bool:
    """Count one request of ``kind`` from this client; False once it is past the limit of the window."""
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:partners:{kind}:{client_ip(request)}".encode()).hexdigest()
    key = f"lantoa:partners-link:{digest}"
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        count = 1
    return count <= LIMITS[kind]
