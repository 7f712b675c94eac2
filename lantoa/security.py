"""The Content-Security-Policy of every page (django-csp; the directives live in settings.CSP_DIRECTIVES).

The public site, the widget, the API documentation and every page outside the back office run no inline script
at all (``script-src 'self'``): a script payload that slipped past escaping would not execute. Wagtail's admin
templates still carry a few inline ``<script>`` blocks (date pickers, inline panels, workflow), so under
``/admin/`` the policy also allows inline scripts; scripts from any other origin, plugins, ``<base>`` and framing
by other sites stay refused there too. The widget replaces ``frame-ancestors`` so a commune's portal can frame it.
deploy/nginx sends the same header on the pages it answers from the page cache (tests/test_security.py checks
that both say the same).
"""

from __future__ import annotations

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts

BACK_OFFICE_PREFIXES = ("/admin/",)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if request.path_info.startswith(BACK_OFFICE_PREFIXES):
            update = dict(parts.update or {})
            update["script-src"] = [*update.get("script-src", []), UNSAFE_INLINE]
            parts.update = update
        return parts
