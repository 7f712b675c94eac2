"""One JSON line per request: method, path, status, duration, user and commune scope."""

from __future__ import annotations

import logging
import time

logger = logging.getLogger("lantoa.request")


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
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
                "bytes": len(response.content) if not response.streaming else None,
            },
        )
        return response
