"""Rate limits counted in the cache: one way for every public form and sign-in helper.

``allow(scope, value, limit, seconds)`` counts one request of ``scope`` from ``value`` (a client address from
``tenancy.network.client_ip``, an e-mail address…) and says whether it is still within ``limit`` in the window.
The key is a keyed hash: the cache never holds an address or an e-mail in clear. Used by the password reset
(``tenancy.accounts``), the partners' link pages and the events' public registration. Forms that keep a record of
each submission (the column's feedback, contest entries) count their own rows instead.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def allow(scope: str, value: str, limit: int, seconds: int) -> bool:
    """Count one request; False once ``value`` has made more than ``limit`` of them in ``seconds``."""
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{scope}:{value}".encode()).hexdigest()
    key = f"lantoa:throttle:{digest}"
    cache.add(key, 0, seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds)
        count = 1
    return count <= limit
