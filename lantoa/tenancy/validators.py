"""Addresses a user may type: only web links (http, https) are accepted, stored and rendered as links.

``javascript:``, ``data:``, ``vbscript:`` and the like would run in the reader's browser when clicked, so every
URL field and every "links" field validates with these, and templates render a stored address as a link only
through ``web_url`` (the ``web_url`` template filter of each app that shows one).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

WEB_SCHEMES = ("http", "https")


@deconstructible
class WebURLValidator(URLValidator):
    """Django's URL check, limited to http and https, with a Vietnamese message."""

    def __init__(self):
        super().__init__(schemes=list(WEB_SCHEMES), message=_("Enter a web address starting with http:// or https://."))

    def __eq__(self, other):
        return isinstance(other, WebURLValidator)


validate_web_url = WebURLValidator()


@deconstructible
class WebLinksValidator:
    """A text of links, one per line: every non-empty line must be a web address."""

    def __call__(self, value: str) -> None:
        bad = [line.strip() for line in (value or "").splitlines() if line.strip() and not is_web_url(line.strip())]
        if bad:
            raise ValidationError(
                _("Each line must be a web address starting with http:// or https:// (not: %(lines)s)."),
                code="invalid",
                params={"lines": ", ".join(line[:60] for line in bad[:3])},
            )

    def __eq__(self, other):
        return isinstance(other, WebLinksValidator)


validate_web_links = WebLinksValidator()


@deconstructible
class SiteOrWebLinkValidator:
    """A path of this site (``/…``) or a web address."""

    def __call__(self, value: str) -> None:
        if value and not web_url(value):
            raise ValidationError(
                _("Enter a web address starting with http:// or https://, or a path of this site."), code="invalid"
            )

    def __eq__(self, other):
        return isinstance(other, SiteOrWebLinkValidator)


validate_site_or_web_link = SiteOrWebLinkValidator()


def is_web_url(value: str) -> bool:
    try:
        validate_web_url(value)
    except ValidationError:
        return False
    return True


def web_url(value: str) -> str:
    """The address if it is safe to put in an ``href`` (a web link or a path of this site), else ""."""
    value = (value or "").strip()
    if value.startswith("/") and not value.startswith("//"):
        return value
    return value if is_web_url(value) else ""
