"""Rate limits of the partners' public link pages, per client address (``tenancy.throttle``)."""

from __future__ import annotations

from lantoa.tenancy import throttle
from lantoa.tenancy.network import client_ip

WINDOW_SECONDS = 3600
LIMITS = {
    "open": 120,  # pages opened from one address in an hour (an unknown token counts too: guessing is slowed)
    "submit": 30,  # forms sent from one address in an hour
}


def allow(request, kind: str) -> bool:
    """Count one request of ``kind`` from this client; False once it is past the limit of the window."""
    return throttle.allow(f"partners:{kind}", client_ip(request), LIMITS[kind], WINDOW_SECONDS)
