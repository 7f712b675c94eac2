"""One JSON line per request (method, path, status, duration, user), with secrets kept out of every log line.

Private links carry their secret in the URL: the commune calendar's iCal link (/plans/calendar/<token>.ics), a
loudspeaker controller's feeds (/radio/feeds/<token>/…), a partner's link (/doi-tac/<token>/), an event's invitation
and registration (/su-kien/loi-moi/<code>/, /su-kien/dang-ky/<token>/), a certificate's verification page
(/xac-minh/<code>/), the device API's ``?token=`` and the password reset
mail's link (/admin/password_reset/confirm/<uid>/<token>/). ``redact`` replaces those
secrets by ``[redacted]``; the request line below and, through ``RedactTokens`` on the handlers, every other log
record (Django's development server, django.request's errors) pass through it. tests/test_tokens.py walks every
route with a ``token`` parameter to prove none escapes.
"""

from __future__ import annotations

import logging
import re
import time

logger = logging.getLogger("lantoa.request")

REDACTED = "[redacted]"
# A secret in the path: the group "token" is replaced.
_TOKEN_IN_PATH = [
    re.compile(r"(/plans/calendar/)(?P<token>[^/?#\s\"]+)(\.ics)"),
    re.compile(r"(/radio/feeds/)(?P<token>[^/?#\s\"]+)(/)"),
    re.compile(r"(/doi-tac/)(?P<token>[^/?#\s\"]+)(/)"),
    re.compile(r"(/su-kien/(?:loi-moi|dang-ky)/)(?P<token>[^/?#\s\"]+)(/)"),
    re.compile(r"(/xac-minh/)(?P<token>[^/?#\s\"]+)(/)"),
    re.compile(r"(/password_reset/confirm/[^/?#\s\"]+/)(?P<token>[^/?#\s\"]+)(/)"),
]
# A secret in the query string: ?token=…, &access_token=…, ?key=…
_TOKEN_IN_QUERY = re.compile(r"([?&](?:token|access_token|key|secret)=)[^&#\s\"]*", re.IGNORECASE)


def redact(text: str) -> str:
    """``text`` (a path, a URL, a log message) with the secrets of private links replaced."""
    if not text:
        return text
    for pattern in _TOKEN_IN_PATH:
        text = pattern.sub(lambda m: m.group(1) + REDACTED + m.group(3), text)
    return _TOKEN_IN_QUERY.sub(lambda m: m.group(1) + REDACTED, text)


class RedactTokens(logging.Filter):
    """A logging filter (on every handler) that redacts the message and any ``path``/``request_line`` it carries."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the formatter's own error handling
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        for name in ("path", "request_line", "url"):
            value = getattr(record, name, None)
            if isinstance(value, str):
                setattr(record, name, redact(value))
        request = getattr(record, "request", None)
        if request is not None and not isinstance(request, str):
            # django.request attaches the request itself; formatters that print it see the redacted path.
            record.request = redact(repr(request))
        return True


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        logger.info(
            "request",
            extra={
                "method": request.method,
                "path": redact(request.path),
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
                "bytes": len(response.content) if not response.streaming else None,
            },
        )
        return response
