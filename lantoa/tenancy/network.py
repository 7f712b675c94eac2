"""The client address of a request: THE one place the project reads it.

Rate limits (feedback, password reset), login lockout (django-axes, ``AXES_CLIENT_IP_CALLABLE``) and the audit
trail all call ``client_ip``. ``X-Forwarded-For`` is believed only as far as it was written by a proxy listed in
``settings.TRUSTED_PROXIES`` (addresses or networks): starting from the peer that connected to us, each trusted
hop gives way to the address it says it received the request from, right to left. A client that talks to us
directly, or through an untrusted hop, cannot choose its address by sending the header. ``X-Real-IP`` is never
read (a proxy that does not set it passes the client's own value on).
"""

from __future__ import annotations

import functools
import ipaddress

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@functools.lru_cache(maxsize=16)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = (text or "").strip()
    if text.startswith("[") and "]" in text:  # "[::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "203.0.113.5:5123"
        text = text.split(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    return getattr(address, "ipv4_mapped", None) or address


def is_trusted_proxy(address) -> bool:
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))
    return address is not None and any(address in network for network in networks)


def client_ip(request) -> str:
    """The address of the client that made ``request``, as a string ("" when the peer gave none)."""
    peer = _address(request.META.get("REMOTE_ADDR", ""))
    if peer is None:
        return ""
    current = peer
    hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    while hops and is_trusted_proxy(current):
        previous = _address(hops.pop())
        if previous is None:  # garbage written by someone before the trusted hop: stop at the hop
            break
        current = previous
    return str(current)
